using DiversitySync.Portal.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// The real app on a real SQLite file in a fresh temp folder, in the Production environment, with a clock the
/// test controls and every log line captured. Pass a folder to start a second instance (or a restart) on the
/// same data.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    private readonly bool ownsDataDirectory;
    private readonly Dictionary<string, string?> settings;

    public PortalFactory() : this(null, null)
    {
    }

    private PortalFactory(string? dataDirectory, Dictionary<string, string?>? settings)
    {
        ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? NewDataDirectory();
        this.settings = settings ?? [];
    }

    /// <summary>For fixtures with settings of their own.</summary>
    protected PortalFactory(Dictionary<string, string?> settings) : this(null, settings)
    {
    }

    /// <summary>A factory on an existing data directory (a restart, a second instance) or with extra settings.</summary>
    public static PortalFactory Create(string? dataDirectory = null, Dictionary<string, string?>? settings = null) => new(dataDirectory, settings);

    public string DataDirectory { get; }

    public TestClock Time { get; } = new(DateTimeOffset.UtcNow);

    public CapturingLoggerProvider Logs { get; } = new();

    public SqlCommandLog Commands { get; } = new();

    public string DatabaseFile => Path.Combine(DataDirectory, "diversitysync.db");

    public static string NewDataDirectory() => Directory.CreateTempSubdirectory("diversitysync-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        builder.UseSetting("Keys:UsageFlushSeconds", "3600"); // tests flush last-used times themselves
        builder.UseSetting("RateLimits:Enabled", "false"); // RateLimitTests turn them on; other tests must not depend on them
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(Commands));
        });
    }

    /// <summary>Runs <paramref name="work"/> with services from a fresh scope, as a request would.</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task WithScopeAsync(Func<IServiceProvider, Task> work) => WithScopeAsync(async services =>
    {
        await work(services);
        return true;
    });

    /// <summary>Moves the clock, then refreshes key state as the change feed's next poll would.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (ownsDataDirectory) TryDelete(DataDirectory);
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The app with no webhook deliveries running: for tests that compare the database before and after a call.</summary>
public sealed class QuietPortalFactory() : PortalFactory(new Dictionary<string, string?> { ["Webhooks:Dispatch"] = "false" });

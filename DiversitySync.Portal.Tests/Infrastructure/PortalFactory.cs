using DiversitySync.Portal.Data.PostgreSQL;
using DiversitySync.Portal.Data.Sqlite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
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

    protected PortalFactory(string? dataDirectory, Dictionary<string, string?>? settings)
    {
        ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? NewDataDirectory();
        this.settings = settings ?? [];
    }

    /// <summary>For fixtures with settings of their own.</summary>
    protected PortalFactory(Dictionary<string, string?> settings) : this(null, settings)
    {
    }

    /// <summary>
    /// A factory on an existing data directory (a restart, a second instance) or with extra settings.
    /// </summary>
    public static PortalFactory Create(string? dataDirectory = null,
        Dictionary<string, string?>? settings = null) => new(dataDirectory, settings);

    /// <summary>A new, empty instance on the same provider.</summary>
    public virtual PortalFactory Fresh() => new();

    /// <summary>
    /// Another instance (or a restart) on the same data, whatever the provider, with these settings added.
    /// </summary>
    public virtual PortalFactory Another(Dictionary<string, string?>? settings = null) => new(DataDirectory, settings);

    /// <summary>Which database this factory's app uses.</summary>
    public virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string DataDirectory { get; }

    /// <summary>
    /// A webhook endpoint for tests that only need one to exist: loopback's discard port, where nothing listens, so
    /// it is saved without DNS and a delivery fails at once. Needs <c>Webhooks:AllowPrivateNetworks</c>.
    /// </summary>
    public const string UnansweredWebhookUrl = "https://127.0.0.1:9/hooks";

    /// <summary>
    /// Starts at a whole millisecond: PostgreSQL keeps microseconds, so a time read back equals the one written.
    /// </summary>
    public TestClock Time { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public CapturingLoggerProvider Logs { get; } = new();

    public SqlCommandLog Commands { get; } = new();

    public string DatabaseFile => Path.Combine(DataDirectory, "diversitysync.db");

    public static string NewDataDirectory() => Directory.CreateTempSubdirectory("diversitysync-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        builder.UseSetting("Keys:UsageFlushSeconds", "3600"); // tests flush last-used times themselves
        builder.UseSetting("Audit:RetentionIntervalMinutes", "1440"); // and run the retention pass themselves
        builder.UseSetting("RateLimits:Enabled",
            "false"); // RateLimitTests turn them on; other tests must not depend on them
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.ConfigureDbContext<SqlitePortalDbContext>(options => options.AddInterceptors(Commands));
            services.ConfigureDbContext<PostgresPortalDbContext>(options => options.AddInterceptors(Commands));
        });
    }

    /// <summary>
    /// Started once the key registry has read every key, as a server is moments after start: tests that count queries
    /// do not count that read.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        host.Services.GetRequiredService<KeyRegistry>().Loading.GetAwaiter().GetResult();
        return host;
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

/// <summary>
/// The app with no webhook deliveries running, for tests that compare the database before and after a call; webhook
/// endpoints may be on loopback, such as <see cref="PortalFactory.UnansweredWebhookUrl"/>.
/// </summary>
public sealed class QuietPortalFactory() : PortalFactory(new Dictionary<string, string?>
{
    ["Webhooks:Dispatch"] = "false",
    ["Webhooks:AllowPrivateNetworks"] = "true",
});

/// <summary>
/// The app with webhook deliveries running, and endpoints allowed on loopback: a delivery to
/// <see cref="PortalFactory.UnansweredWebhookUrl"/> is refused at once, and no traffic leaves the machine.
/// </summary>
public sealed class LoopbackWebhooksPortalFactory() : PortalFactory(new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "true" });

/// <summary>
/// The same app on a real PostgreSQL database of its own (on <see cref="PostgresCluster.Shared"/>), dropped at the
/// end; the data directory is still a temp folder (nothing is kept there on PostgreSQL).
/// </summary>
public class PostgresPortalFactory : PortalFactory
{
    private readonly bool ownsDatabase;

    public PostgresPortalFactory() : this(PostgresCluster.Shared.CreateDatabase(), null, null, ownsDatabase: true)
    {
    }

    /// <summary>For fixtures with settings of their own.</summary>
    protected PostgresPortalFactory(Dictionary<string, string?> settings)
        : this(PostgresCluster.Shared.CreateDatabase(), null, settings, ownsDatabase: true)
    {
    }

    /// <summary>
    /// With settings of a test's own (a static method: a class fixture may have one public constructor only).
    /// </summary>
    public static PostgresPortalFactory With(Dictionary<string, string?> settings) =>
        new(PostgresCluster.Shared.CreateDatabase(), null, settings, ownsDatabase: true);

    private PostgresPortalFactory(string connectionString, string? dataDirectory, Dictionary<string, string?>? settings,
        bool ownsDatabase)
        : base(dataDirectory, new Dictionary<string, string?>(settings ?? [])
        {
            ["Database:Provider"] = "PostgreSQL",
            ["ConnectionStrings:Portal"] = connectionString,
        })
    {
        ConnectionString = connectionString;
        this.ownsDatabase = ownsDatabase;
    }

    public string ConnectionString { get; }

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSQL;

    public override PortalFactory Fresh() => new PostgresPortalFactory();

    public override PortalFactory Another(Dictionary<string, string?>? settings = null) =>
        new PostgresPortalFactory(ConnectionString, null, settings, ownsDatabase: false);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase) PostgresCluster.Shared.DropDatabase(ConnectionString);
    }
}


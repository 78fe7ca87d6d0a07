using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data;

public static class DataSetup
{
    public const string ConnectionStringName = "Portal";

    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ChangeFeedOptions>().BindConfiguration(ChangeFeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton<DataPaths>();
        builder.Services.AddDbContext<PortalDbContext>((services, options) => options
            .UseSqlite(services.GetRequiredService<DataPaths>().ConnectionString)
            .AddInterceptors(new SqlitePragmas()));

        // Cookies, antiforgery tokens and the protected signing keys must survive restarts.
        builder.Services.AddDataProtection().SetApplicationName("DiversitySync.Portal");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<DataPaths, ILoggerFactory>((options, paths, logging) =>
            options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(paths.DataProtectionKeys), logging));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChangeFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ChangeFeed>());
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>Applies migrations and turns on WAL (persistent in the file). Runs before the server or a CLI command.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz").AllowAnonymous().DisableHttpMetrics().WithoutPortalSession();
        // Liveness only (the process answers), for load balancers: runs no check, touches no database.
        endpoints.MapHealthChecks("/healthz/live", new() { Predicate = _ => false }).AllowAnonymous().DisableHttpMetrics().WithoutPortalSession();
        return endpoints;
    }
}

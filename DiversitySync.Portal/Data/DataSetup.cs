using DiversitySync.Portal.Data.PostgreSQL;
using DiversitySync.Portal.Data.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Data;

public static class DataSetup
{
    public const string ConnectionStringName = "Portal";

    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ChangeFeedOptions>().BindConfiguration(ChangeFeedOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();

        // Both providers are registered; which one PortalDbContext is, is read from configuration when first needed.
        builder.Services.AddSingleton<DataPaths>();
        builder.Services.AddDbContext<SqlitePortalDbContext>((services, options) => options
            .UseSqlite(services.GetRequiredService<DataPaths>().ConnectionString)
            .AddInterceptors(new SqlitePragmas()));
        builder.Services.AddDbContext<PostgresPortalDbContext>((services, options) => options
            .UseNpgsql(services.GetRequiredService<DataPaths>().ConnectionString));
        builder.Services.AddScoped<PortalDbContext>(services =>
            services.GetRequiredService<DataPaths>().Provider == DatabaseProvider.PostgreSQL
            ? services.GetRequiredService<PostgresPortalDbContext>()
            : services.GetRequiredService<SqlitePortalDbContext>());
        builder.Services.AddScoped<UnitOfWork>();
        // The one reader of what an actor may do now, and the staff permissions it is made of.
        builder.Services.AddSingleton<StaffPermissions>();
        builder.Services.AddSingleton<ActorAccess>();

        // Cookies, antiforgery tokens and the protected signing keys must survive restarts (R-11): on SQLite the key ring
        // is kept in the data directory; on PostgreSQL in the database, so that every instance reads the same ring.
        // (Not in SQLite itself: a key made while a write transaction is open would wait on that transaction's lock.)
        builder.Services.AddDataProtection().SetApplicationName("DiversitySync.Portal");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<DataPaths, IServiceProvider, ILoggerFactory>((options, paths, services, logging) =>
            options.XmlRepository = paths.Provider == DatabaseProvider.PostgreSQL
                ? new EntityFrameworkCoreXmlRepository<PostgresPortalDbContext>(services, logging)
                : new FileSystemXmlRepository(new DirectoryInfo(paths.DataProtectionKeys), logging));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChangeFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ChangeFeed>());
        builder.Services.AddHostedService<ChangeNotifications>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>
    /// Before the server or a CLI command: applies migrations (unless Database:MigrateAtStart is off, then refuses
    /// a database that is behind; <paramref name="migrate"/>: `db migrate`, always) and turns on WAL for SQLite.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, bool migrate = false)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (migrate || scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateAtStart)
        {
            await db.Database.MigrateAsync();
        }
        else if ((await db.Database.GetPendingMigrationsAsync()).ToList() is { Count: > 0 } pending)
        {
            throw new DatabaseSetupException(
                $"The database is {pending.Count} migration(s) behind ({string.Join(", ", pending)}) and " +
                $"Database:MigrateAtStart is false: run `db migrate` first.");
        }
        if (db is SqlitePortalDbContext) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz",
            new() { ResponseWriter = DatabaseHealthCheck.WriteAsync }).AllowAnonymous().DisableHttpMetrics()
                .WithoutPortalSession();
        // Liveness only (the process answers), for load balancers: runs no check, touches no database.
        endpoints.MapHealthChecks("/healthz/live",
            new() { Predicate = _ => false }).AllowAnonymous().DisableHttpMetrics().WithoutPortalSession();
        return endpoints;
    }
}

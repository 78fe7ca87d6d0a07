using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DiversitySync.Portal.Data.PostgreSQL;

/// <summary>
/// On PostgreSQL, every transaction that takes a revision also sends <c>NOTIFY portal_changes</c> (delivered when it
/// commits); this listener makes the change feed catch up at once, so a revocation on one instance holds on the
/// others within milliseconds. The change feed's poll stays the fallback and what decides freshness: an instance
/// that cannot hear the database still fails closed (J-08).
/// </summary>
public sealed class ChangeNotifications(DataPaths paths, ChangeFeed changes,
    ILogger<ChangeNotifications> logger) : BackgroundService
{
    public const string Channel = "portal_changes";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (paths.Provider != DatabaseProvider.PostgreSQL) return;
        // Its own connection, outside the pool: LISTEN belongs to one session, held for the life of the process.
        var connectionString = new NpgsqlConnectionStringBuilder(paths.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 5
        }.ToString();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand("LISTEN " + Channel,
                    connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                await changes.CatchUpAsync(stoppingToken); // whatever committed before LISTEN took effect
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                    await changes.CatchUpAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception,
                    "Not listening for changes from other instances; polling meanwhile, retrying in 1 s");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Inside a write transaction: tells the other instances, when it commits, to catch up.</summary>
    public static Task NotifyAsync(PostgresPortalDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("NOTIFY " + Channel, cancellationToken);
}

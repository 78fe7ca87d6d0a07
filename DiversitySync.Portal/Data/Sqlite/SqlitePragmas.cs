using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DiversitySync.Portal.Data.Sqlite;

/// <summary>
/// Per-connection SQLite settings. WAL is persistent and set once at start;
/// synchronous is per connection: FULL, so an acknowledged revocation survives an OS crash too.
/// EF Core's SQLite provider already turns foreign keys on for every connection it opens.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous = FULL;";

    public override void ConnectionOpened(DbConnection connection,
        ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}

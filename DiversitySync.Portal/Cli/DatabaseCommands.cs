using DiversitySync.Portal.Data;
using DiversitySync.Portal.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Cli;

/// <summary>
/// `db migrate` and `db backup`: they run before the start-up work of every other command (which would migrate, or
/// refuse a database that is behind), so that an operator can migrate before rolling out and back up the database
/// exactly as it is.
/// </summary>
public static partial class AdminCli
{
    public static bool IsDatabaseCommand(string[] args) => args is ["db", ..];

    public static async Task<int> RunDatabaseCommandAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        try
        {
            var arguments = new CliArguments(args);
            arguments.Allow();
            return arguments.Words switch
            {
                ["db", "migrate"] => await MigrateAsync(services, db, stdout),
                ["db", "backup", var file] => await BackupAsync(db, file, stdout, stderr),
                _ => throw new CliUsageException($"Unknown command: {string.Join(' ', args)}"),
            };
        }
        catch (CliUsageException exception)
        {
            await stderr.WriteLineAsync($"error: {exception.Message}\n\n{Usage}");
            return 2;
        }
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, PortalDbContext db, TextWriter stdout)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        await services.PrepareDatabaseAsync(); // WAL on SQLite
        await stdout.WriteLineAsync(pending.Count == 0
            ? $"The database is up to date ({db.Database.GetAppliedMigrations().LastOrDefault() ?? "no migrations"})."
            : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
        return 0;
    }

    /// <summary>
    /// SQLite: <c>VACUUM INTO</c> writes a consistent copy of the database as of one moment, including what is still
    /// in the write-ahead log, while the server keeps reading and writing (R-07). Then the copy's integrity is checked.
    /// </summary>
    private static async Task<int> BackupAsync(PortalDbContext db, string file, TextWriter stdout, TextWriter stderr)
    {
        if (db is not SqlitePortalDbContext)
        {
            return await Refused(stderr,
                "On PostgreSQL, back up with pg_dump: pg_dump --format=custom --file=portal.dump \"<connection>\" (README: Running several instances).");
        }
        var target = Path.GetFullPath(file);
        if (File.Exists(target)) return await Refused(stderr, $"{target} already exists: choose a new file.");
        if (!Directory.Exists(Path.GetDirectoryName(target))) return await Refused(stderr, $"The folder of {target} does not exist.");
        await db.Database.ExecuteSqlAsync($"VACUUM INTO {target}");
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await copy.OpenAsync();
            await using var check = copy.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            if (await check.ExecuteScalarAsync() is not "ok") return await Refused(stderr, $"The copy at {target} failed its integrity check; it is left there for inspection.");
        }
        await stdout.WriteLineAsync($"Backed up to {target} ({new FileInfo(target).Length:N0} bytes); integrity check ok.");
        return 0;
    }
}

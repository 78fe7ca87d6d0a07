using DiversitySync.Portal.Data;
using DiversitySync.Portal.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Cli;

/// <summary>db migrate | backup: they run without the start-up work of the other commands (see <see cref="RunAsync"/>).</summary>
public static partial class AdminCli
{
    private static async Task<int> MigrateAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout)
    {
        arguments.Allow();
        var db = provider.GetRequiredService<PortalDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await provider.PrepareDatabaseAsync(migrate: true);
        return Done(stdout, pending.Count == 0
            ? $"The database is up to date ({db.Database.GetMigrations().LastOrDefault() ?? "no migrations"})."
            : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
    }

    /// <summary>
    /// SQLite: <c>VACUUM INTO</c> writes a consistent copy of the database as of one moment, including what is still
    /// in the write-ahead log, while the server keeps reading and writing (R-07). Then the copy's integrity is checked.
    /// </summary>
    private static async Task<int> BackupAsync(IServiceProvider provider, string file, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow();
        if (provider.GetRequiredService<PortalDbContext>() is not SqlitePortalDbContext db)
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
        return Done(stdout, $"Backed up to {target} ({new FileInfo(target).Length:N0} bytes); integrity check ok.");
    }
}

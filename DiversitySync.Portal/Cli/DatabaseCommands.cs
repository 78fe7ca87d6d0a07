using System.CommandLine;
using DiversitySync.Portal.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Cli;

/// <summary>
/// db migrate | backup: they run without the start-up work of the other commands (see <see cref="RunAsync"/>).
/// </summary>
public static partial class AdminCli
{
    private static Command DatabaseCommands(CliRun run)
    {
        var migrate = new Command("migrate",
            "Apply pending migrations and say which (for Database:MigrateAtStart=false).");
        migrate.SetAction((_, _) => run.UnpreparedAsync(provider => MigrateAsync(provider, run)));
        var file = new Argument<string>("file") { Description = "A new file for the copy." };
        var backup = new Command("backup",
            "SQLite: an online, consistent copy of the database into a new file, integrity-checked.") { file };
        backup.SetAction((result,
            _) => run.UnpreparedAsync(provider => BackupAsync(provider, result.GetValue(file)!, run)));
        return new Command("db", "The database.") { migrate, backup };
    }

    private static async Task<int> MigrateAsync(IServiceProvider provider, CliRun run)
    {
        var db = provider.GetRequiredService<PortalDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await provider.PrepareDatabaseAsync(migrate: true);
        return run.Done(pending.Count == 0
            ? $"The database is up to date ({db.Database.GetMigrations().LastOrDefault() ?? "no migrations"})."
            : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
    }

    /// <summary>
    /// SQLite: <c>VACUUM INTO</c> writes a consistent copy of the database as of one moment, including what is still
    /// in the write-ahead log, while the server keeps reading and writing (R-07). Then the copy's integrity is checked.
    /// </summary>
    private static async Task<int> BackupAsync(IServiceProvider provider, string file, CliRun run)
    {
        if (provider.GetRequiredService<PortalDbContext>() is not SqlitePortalDbContext db)
        {
            return await run.RefusedAsync(
                "On PostgreSQL, back up with pg_dump: pg_dump --format=custom --file=portal.dump \"<connection>\" " +
                "(README: Running several instances).");
        }
        var target = Path.GetFullPath(file);
        if (File.Exists(target)) return await run.RefusedAsync($"{target} already exists: choose a new file.");
        if (!Directory.Exists(Path.GetDirectoryName(target)))
        {
            return await run.RefusedAsync($"The folder of {target} does not exist.");
        }
        await db.Database.ExecuteSqlAsync($"VACUUM INTO {target}");
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = target,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false
        }.ToString()))
        {
            await copy.OpenAsync();
            await using var check = copy.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            if (await check.ExecuteScalarAsync() is not "ok")
            {
                return await run.RefusedAsync($"The copy at {target} failed its integrity check; it is left there for " +
                    $"" +
                    $"inspection.");
            }
        }
        return run.Done($"Backed up to {target} ({new FileInfo(target).Length:N0} bytes); integrity check ok.");
    }
}

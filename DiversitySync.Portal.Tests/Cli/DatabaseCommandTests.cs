namespace DiversitySync.Portal.Tests.Cli;

/// <summary>`db migrate` for operators who migrate before rolling out (Database:MigrateAtStart=false).</summary>
public class DatabaseCommandTests
{
    private static readonly (string, string)[] NoMigrateAtStart = [("Database__MigrateAtStart", "false")];

    [Fact]
    public async Task Without_migrating_at_start_a_database_that_is_behind_is_refused_until_db_migrate_has_run()
    {
        var directory = PortalFactory.NewDataDirectory();
        try
        {
            var refused = await AppProcess.RunAsync(directory, NoMigrateAtStart, "keys", "list");
            var migrate = await AppProcess.RunAsync(directory, NoMigrateAtStart, "db", "migrate");
            var again = await AppProcess.RunAsync(directory, NoMigrateAtStart, "db", "migrate");
            var list = await AppProcess.RunAsync(directory, NoMigrateAtStart, "keys", "list");

            refused.ExitCode.Should().Be(1);
            refused.Stderr.Should().StartWith("error: The database is").And.Contain("run `db migrate` " +
                "first").And.NotContain(" at ");
            migrate.ExitCode.Should().Be(0, migrate.Stderr);
            migrate.Stdout.Should().StartWith("Applied ").And.Contain("_Initial");
            again.Stdout.Should().StartWith("The database is up to date");
            list.ExitCode.Should().Be(0, list.Stderr);
        }
        finally
        {
            PortalFactory.TryDelete(directory);
        }
    }

    [Fact]
    public async Task A_backup_never_overwrites_a_file()
    {
        var directory = PortalFactory.NewDataDirectory();
        try
        {
            var existing = Path.Combine(directory, "existing.db");
            await File.WriteAllTextAsync(existing, "keep me");

            var (exit, _, stderr) = await AppProcess.RunAsync(directory, "db", "backup", existing);

            exit.Should().Be(1);
            stderr.Should().Contain("already exists");
            (await File.ReadAllTextAsync(existing)).Should().Be("keep me");
        }
        finally
        {
            PortalFactory.TryDelete(directory);
        }
    }
}

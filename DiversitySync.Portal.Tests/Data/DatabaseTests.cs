namespace DiversitySync.Portal.Tests.Data;

public class DatabaseTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        var pending = await factory.WithScopeAsync(s =>
            Task.FromResult(s.GetRequiredService<PortalDbContext>().Database.HasPendingModelChanges()));

        pending.Should().BeFalse("run scripts/migrations.sh add <Name> after changing the model");
    }

    [Fact]
    public async Task R01_the_apps_own_connection_uses_wal_full_sync_and_foreign_keys()
    {
        var pragmas = await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            return (
                Journal: await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync(),
                Synchronous: await db.Database.SqlQueryRaw<long>("PRAGMA synchronous").ToListAsync(),
                ForeignKeys: await db.Database.SqlQueryRaw<long>("PRAGMA foreign_keys").ToListAsync());
        });

        pragmas.Journal.Should().Equal("wal");
        pragmas.Synchronous.Should().Equal(2);
        pragmas.ForeignKeys.Should().Equal(1);
    }

    [Fact]
    public async Task The_database_is_a_file_in_the_configured_data_directory()
    {
        var health = await factory.CreateClient().GetStringAsync("/healthz");

        health.Should().Be("""{"status":"Healthy","provider":"Sqlite","database":"reachable","keyState":"fresh"}""");
        File.Exists(factory.DatabaseFile).Should().BeTrue();
    }

    [Fact]
    public async Task Liveness_is_served_without_authentication()
    {
        var live = await factory.CreateClient().GetAsync("/healthz/live");

        live.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await live.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }
}

namespace DiversitySync.Portal.Tests.Providers;

/// <summary>
/// What is particular to running on PostgreSQL: its migrations, health, and the queries that differ by provider.
/// </summary>
public sealed class PostgreSQLTests(PostgresPortalFactory factory) : IClassFixture<PostgresPortalFactory>
{
    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_PostgreSQL_migrations()
    {
        var pending = await factory.WithScopeAsync(s =>
            Task.FromResult(s.GetRequiredService<PortalDbContext>().Database.HasPendingModelChanges()));

        pending.Should().BeFalse("run scripts/migrations.sh add <Name> after changing the model");
    }

    [Fact]
    public async Task Health_names_the_provider_and_that_the_database_answers()
    {
        var health = await factory.CreateClient().GetStringAsync("/healthz");

        health.Should().Be("""{"status":"Healthy","provider":"PostgreSQL","database":"reachable","keyState":"fresh"}""");
    }

    [Fact]
    public async Task R11_the_key_ring_is_in_the_database_so_every_instance_reads_it()
    {
        await factory.StaffAsync(); // protects an authenticator key, so a Data Protection key exists

        var inDatabase = await factory.WithScopeAsync(s =>
            s.GetRequiredService<Portal.Data.PostgreSQL.PostgresPortalDbContext>().DataProtectionKeys.CountAsync());

        inDatabase.Should().BeGreaterThan(0);
        Directory.Exists(Path.Combine(factory.DataDirectory, "data-protection-keys")).Should().BeFalse();
    }

    [Fact]
    public async Task Staff_search_ignores_case_and_treats_wildcards_as_text()
    {
        await factory.StaffAsync(name: "Zoë Ångström");
        await factory.StaffAsync(name: "Zoe Angstrom");

        var found = await SearchAsync("zoË åNGST");
        var wildcard = await SearchAsync("zo_ ");

        found.Should().Equal("Zoë Ångström");
        wildcard.Should().BeEmpty("_ is a character to look for, not a wildcard");
    }

    private async Task<IEnumerable<string>> SearchAsync(string text) =>
        (await factory.WithScopeAsync(s => s.GetRequiredService<StaffQueries>().SearchAsync(Actor.System,
            new StaffQuery(Search: text)))).Value!.Items.Select(i => i.DisplayName);
}

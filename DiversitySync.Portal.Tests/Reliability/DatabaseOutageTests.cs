namespace DiversitySync.Portal.Tests.Reliability;

/// <summary>
/// when the database cannot be read, /oauth/token answers 503 with Retry-After, /v1 fails
/// closed, and both recover without a restart. (In WAL mode a locked writer does not stop readers, and root reads
/// any file, so the fault injected is the one that matters: the reads fail.)
/// </summary>
public class DatabaseOutageTests
{
    /// <summary>The app with these settings, on SQLite here; another provider's subclass says otherwise.</summary>
    protected virtual PortalFactory Create(Dictionary<string, string?> settings) =>
        PortalFactory.Create(settings: settings);

    [Fact]
    public async Task R10_a_database_that_cannot_be_read_fails_closed_and_recovers_by_itself()
    {
        await using var factory = Create(new()
        {
            ["ChangeFeed:PollSeconds"] = "0.2",
            ["ChangeFeed:MaxStalenessSeconds"] = "1",
        });
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var token = await client.AccessTokenAsync(key.Plaintext);

        await ExecuteAsync(factory, "ALTER TABLE \"ChangeCounters\" RENAME TO \"ChangeCountersAway\"");
        {
            var exchange = await Eventually.StatusAsync(() => client.ExchangeAsync(key.Plaintext),
                HttpStatusCode.ServiceUnavailable);
            exchange.Headers.RetryAfter.Should().NotBeNull();
            (await exchange.JsonAsync()).GetProperty("error").GetString().Should().Be("temporarily_unavailable");
            var api = await client.GetAsync("/v1/me", token);
            api.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable,
                "/v1 fails closed: never 200 when key status cannot be verified");
            api.Headers.RetryAfter.Should().NotBeNull();
        }
        await ExecuteAsync(factory, "ALTER TABLE \"ChangeCountersAway\" RENAME TO \"ChangeCounters\"");

        (await Eventually.StatusAsync(() => client.ExchangeAsync(key.Plaintext),
            HttpStatusCode.OK)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static Task ExecuteAsync(PortalFactory factory, string sql) =>
        factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().Database.ExecuteSqlRawAsync(sql));
}

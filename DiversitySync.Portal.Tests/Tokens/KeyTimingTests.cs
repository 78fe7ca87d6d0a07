namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>
/// K-03: an unknown key id must cost what a known id with a wrong secret costs, or response times tell an attacker
/// which ids exist. Times are measured by bench/key-timing.sh; here, the work that makes the difference: the
/// database catch-up that lets a key made elsewhere a moment ago work at once. Both paths must do it.
/// </summary>
public class KeyTimingTests
{
    private const int Attempts = 6;

    [Fact]
    public async Task K03_an_unknown_key_id_and_a_wrong_secret_do_the_same_database_work()
    {
        // The feed's own polling is slowed down so that the reads counted are the attempts' own.
        await using var factory = PortalFactory.Create(settings: new()
        {
            ["ChangeFeed:PollSeconds"] = "5",
            ["ChangeFeed:MaxStalenessSeconds"] = "60"
        });
        var client = factory.CreateClient();
        var known = await factory.KeyAsync(await factory.StaffAsync());
        // Well-formed, with valid checksums: a malformed key is refused before any lookup.
        var wrongSecret = ApiKeyFormat.Create(ApiKeyEnvironment.Live, known.Key.KeyId);
        var unknownId = ApiKeyFormat.Create(ApiKeyEnvironment.Live, "0123456789abcdef");

        var unknownReads = await CounterReadsAsync(factory, client, unknownId);
        var wrongSecretReads = await CounterReadsAsync(factory, client, wrongSecret);

        unknownReads.Should().BeGreaterThanOrEqualTo(Attempts);
        wrongSecretReads.Should().BeInRange(unknownReads - 1, unknownReads + 1,
            "a poll may land in either batch, nothing else");
    }

    private static async Task<int> CounterReadsAsync(PortalFactory factory, HttpClient client, string key)
    {
        var before = factory.Commands.Count("ChangeCounters");
        for (var i = 0; i < Attempts; i++)
        {
            (await client.ExchangeAsync(key)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
        return factory.Commands.Count("ChangeCounters") - before;
    }
}

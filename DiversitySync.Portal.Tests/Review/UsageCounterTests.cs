namespace DiversitySync.Portal.Tests.Review;

/// <summary>The app with rate limits off, so that a test can make a thousand exchanges of one key.</summary>
public sealed class UnlimitedPortalFactory() : PortalFactory(Unlimited.Settings);

public sealed class UnlimitedPostgresPortalFactory() : PostgresPortalFactory(Unlimited.Settings);

public static class Unlimited
{
    public static Dictionary<string, string?> Settings => new() { ["RateLimits:Enabled"] = "false" };
}

public sealed class UsageCounterTests(UnlimitedPortalFactory factory)
    : UsageCounterTestsOn(factory), IClassFixture<UnlimitedPortalFactory>;

public sealed class UsageCounterTestsOnPostgreSQL(UnlimitedPostgresPortalFactory factory)
    : UsageCounterTestsOn(factory), IClassFixture<UnlimitedPostgresPortalFactory>;

/// <summary>
/// Per key and UTC day counters, written by the batched usage writer (L-06): the same upsert on both providers.
/// </summary>
public abstract class UsageCounterTestsOn(PortalFactory factory)
{
    private readonly HttpClient client = factory.CreateClient();

    private Task FlushAsync() => factory.Services.GetRequiredService<KeyUsageTracker>().FlushAsync();

    private Task<List<KeyUsageDay>> DaysAsync(string keyId) => factory.WithScopeAsync(s =>
        s.GetRequiredService<PortalDbContext>().KeyUsageDays.AsNoTracking().Where(d => d.KeyId == keyId)
            .OrderBy(d => d.Day).ToListAsync());

    private async Task ExchangeManyAsync(string key, int times)
    {
        for (var done = 0; done < times; done += 50)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, Math.Min(50, times - done))
                .Select(_ => client.ExchangeAsync(key)));
            answers.Should().OnlyContain(a => a.StatusCode == HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task L06_a_thousand_exchanges_over_three_days_give_exactly_those_counters_and_no_write_per_request()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());
        await factory.Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);
        var start = factory.Time.GetUtcNow();
        var wrong = ApiKeyFormat.Create(ApiKeyEnvironment.Live, key.Key.KeyId);
        var writesBefore = factory.Commands.Count(nameof(PortalDbContext.KeyUsageDays));

        await ExchangeManyAsync(key.Plaintext, 400);
        factory.Time.Advance(TimeSpan.FromDays(1));
        await ExchangeManyAsync(key.Plaintext, 350);
        for (var i = 0; i < 3; i++) (await client.ExchangeAsync(wrong)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        factory.Time.Advance(TimeSpan.FromDays(1));
        await ExchangeManyAsync(key.Plaintext, 250);

        factory.Commands.Count(nameof(PortalDbContext.KeyUsageDays)).Should().Be(writesBefore,
            "exchanges are counted in memory");
        await FlushAsync();
        var first = DateOnly.FromDateTime(start.UtcDateTime);
        (await DaysAsync(key.Key.KeyId)).Select(d => (d.Day, d.Issued, d.Refused, d.RefusedSecret)).Should().Equal(
            (first, 400, 0, 0), (first.AddDays(1), 350, 3, 3), (first.AddDays(2), 250, 0, 0));
    }

    [Fact]
    public async Task L06_counts_add_to_the_stored_day_across_flushes()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());
        await factory.Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);

        await ExchangeManyAsync(key.Plaintext, 2);
        await FlushAsync();
        await ExchangeManyAsync(key.Plaintext, 3);
        await FlushAsync();

        (await DaysAsync(key.Key.KeyId)).Should().ContainSingle().Which.Issued.Should().Be(5);
    }

    [Fact]
    public async Task Scope_last_use_follows_v1_calls_and_a_scope_never_needed_is_unused()
    {
        var owner = await factory.StaffAsync();
        var key = await factory.KeyAsync(owner, "read:api_keys read:users");
        await factory.Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);
        var token = await client.AccessTokenAsync(key.Plaintext);

        (await client.GetAsync("/v1/api-keys", token)).EnsureSuccessStatusCode();
        factory.Time.Advance(TimeSpan.FromMinutes(5));
        var lastCall = factory.Time.GetUtcNow().UtcDateTime;
        (await client.GetAsync($"/v1/api-keys/{key.Key.KeyId}", token)).EnsureSuccessStatusCode();
        await FlushAsync();

        var usage = (await factory.WithScopeAsync(s => s.GetRequiredService<KeyUsageQueries>()
            .ForKeyAsync(Actor.System, key.Key.KeyId, 30))).Value!;
        usage.ApiCalls.Should().Be(2);
        usage.Exchanges.Should().Be(1);
        usage.Scopes.Should().BeEquivalentTo([
            new ScopeUse("read:api_keys", lastCall, 2, false),
            new ScopeUse("read:users", null, 0, true),
        ]);
    }
}

namespace DiversitySync.Portal.Tests.Review;

/// <summary>
/// Bulk revoke and bulk expiry: each key through the same rule as a single action, one audit event per key, and
/// what one key refuses said for that key (K-09).
/// </summary>
public class BulkActionTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private Task<T> WithKeysAsync<T>(Func<ApiKeyService, Task<T>> work) =>
        factory.WithScopeAsync(s => work(s.GetRequiredService<ApiKeyService>()));

    private Task<List<AuditEvent>> EventsAsync(string action, string keyId) => factory.WithScopeAsync(s =>
        s.GetRequiredService<PortalDbContext>().AuditEvents.AsNoTracking()
            .Where(e => e.Action == action && e.TargetId == keyId).ToListAsync());

    [Fact]
    public async Task K09_a_bulk_revoke_does_each_key_it_may_and_says_why_for_each_it_may_not()
    {
        var owner = Seed.ActorOf(await factory.StaffAsync());
        var creator = await factory.StaffAsync();
        var live = (await factory.KeyAsync(creator)).Key.KeyId;
        var revoked = (await factory.KeyAsync(creator)).Key.KeyId;
        await WithKeysAsync(k => k.RevokeAsync(revoked, owner));

        var outcome = (await WithKeysAsync(k => k.RevokeManyAsync([live, revoked, "0123456789abcdef", "nope", live],
            owner, "review"))).Value!;

        outcome.Items.Select(i => (i.KeyId, i.Done)).Should().Equal(
            (live, true), (revoked, false), ("0123456789abcdef", false), ("nope", false));
        outcome.Items[1].Refused.Should().Contain("already revoked");
        outcome.Items[2].Refused.Should().Contain("no key");
        (await EventsAsync(AuditActions.KeyRevoked, live)).Should().ContainSingle().Which.Detail.Should().Be("review");
    }

    [Fact]
    public async Task K09_a_bulk_and_a_single_revoke_of_the_same_key_at_once_write_exactly_one_revocation()
    {
        var owner = Seed.ActorOf(await factory.StaffAsync());
        var keyId = (await factory.KeyAsync(await factory.StaffAsync())).Key.KeyId;

        await Task.WhenAll(
            WithKeysAsync(k => k.RevokeManyAsync([keyId], owner, "bulk")),
            WithKeysAsync(k => k.RevokeAsync(keyId, owner, "single")),
            WithKeysAsync(k => k.RevokeManyAsync([keyId], owner, "bulk again")));

        (await EventsAsync(AuditActions.KeyRevoked, keyId)).Should().ContainSingle();
    }

    [Fact]
    public async Task K09_a_bulk_expiry_changes_working_keys_audits_before_and_after_and_refuses_a_revoked_one()
    {
        var owner = Seed.ActorOf(await factory.StaffAsync());
        var creator = await factory.StaffAsync();
        var working = (await factory.KeyAsync(creator)).Key.KeyId;
        var revoked = (await factory.KeyAsync(creator)).Key.KeyId;
        await WithKeysAsync(k => k.RevokeAsync(revoked, owner));
        var expiresAt = factory.Time.GetUtcNow().UtcDateTime.AddDays(30);

        var outcome = (await WithKeysAsync(k => k.SetExpiryManyAsync([working, revoked], expiresAt, owner))).Value!;

        outcome.Items.Select(i => i.Done).Should().Equal(true, false);
        outcome.Items[1].Refused.Should().Contain("revoked");
        (await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().GetAsync(Actor.System, working)))
            .Value!.ExpiresAt.Should().Be(expiresAt);
        (await EventsAsync(AuditActions.KeyExpiryChanged, working)).Should().ContainSingle().Which.Detail.Should()
            .Be($"expires never → {Dates.Instant(expiresAt)}");
    }

    [Fact]
    public async Task A_key_whose_expiry_was_set_stops_working_at_that_moment()
    {
        var owner = Seed.ActorOf(await factory.StaffAsync());
        var key = await factory.KeyAsync(await factory.StaffAsync());
        await WithKeysAsync(k => k.SetExpiryAsync(key.Key.KeyId, factory.Time.GetUtcNow().UtcDateTime.AddHours(1),
            owner));
        await factory.Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK);

        factory.Time.Advance(TimeSpan.FromHours(1));

        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    [InlineData(10_000)]
    public async Task A_bulk_request_of_no_keys_or_more_than_a_thousand_is_a_4xx_and_changes_nothing(int count)
    {
        var creator = await factory.StaffAsync(StaffRole.Owner);
        var key = await factory.KeyAsync(creator, "read:api_keys write:api_keys");
        var token = await client.AccessTokenAsync(key.Plaintext);
        var ids = string.Join(",", Enumerable.Range(0, count).Select(i => $"\"{i:x16}\"").Prepend(
            $"\"{key.Key.KeyId}\"").Take(Math.Max(count, 0)));

        var response = await client.PostJsonAsync("/v1/api-keys/revoke", token, $$"""{"keyIds":[{{ids}}]}""");

        ((int)response.StatusCode).Should().BeInRange(400, 499);
        (await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().GetAsync(Actor.System,
            key.Key.KeyId))).Value!.RevokedAt.Should().BeNull();
    }

    [Fact]
    public async Task Bulk_revoke_on_v1_answers_per_key()
    {
        var creator = await factory.StaffAsync(StaffRole.Owner);
        var caller = await factory.KeyAsync(creator, "read:api_keys write:api_keys");
        var target = (await factory.KeyAsync(creator)).Key.KeyId;
        var token = await client.AccessTokenAsync(caller.Plaintext);

        var response = await client.PostJsonAsync("/v1/api-keys/revoke", token,
            $$"""{"keyIds":["{{target}}","0123456789abcdef"],"reason":"cleanup"}""");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        body.GetProperty("done").GetInt32().Should().Be(1);
        body.GetProperty("refused").GetInt32().Should().Be(1);
    }
}

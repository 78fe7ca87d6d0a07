namespace DiversitySync.Portal.Tests.Keys;

/// <summary>
/// Rolling a key (K-10): a successor with the same settings, the old key working beside it for the grace only, on the
/// test clock, over real HTTP.
/// </summary>
public sealed class KeyRollTests(LoopbackWebhooksPortalFactory factory) : IClassFixture<LoopbackWebhooksPortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private Task<Outcome<NewApiKey>> RollAsync(string keyId, int graceSeconds, Actor? actor = null) =>
        factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().RollAsync(keyId, graceSeconds,
            actor ?? Actor.System));

    private Task<ApiKeyView> ViewAsync(string keyId) => factory.WithScopeAsync(async s =>
        (await s.GetRequiredService<ApiKeyQueries>().GetAsync(Actor.System, keyId)).Value!);

    private async Task<HttpStatusCode> ExchangeAsync(string key) => (await client.ExchangeAsync(key)).StatusCode;

    /// <summary>An admin key's access token for /v1 (read:api_keys and write:api_keys).</summary>
    private async Task<string> AdminTokenAsync() => await client.AccessTokenAsync((await factory.KeyAsync(
        await factory.StaffAsync(), $"{ScopeCatalog.ReadApiKeys} {ScopeCatalog.WriteApiKeys}")).Plaintext);

    [Fact]
    public async Task K10_both_keys_work_during_the_grace_and_only_the_new_one_after_it()
    {
        var old = await factory.KeyAsync(await factory.StaffAsync());
        var rolled = (await RollAsync(old.Key.KeyId, 3600)).Value!;

        (await ExchangeAsync(old.Plaintext), await ExchangeAsync(rolled.Plaintext)).Should()
            .Be((HttpStatusCode.OK, HttpStatusCode.OK), "both work during the grace");
        await factory.AdvanceAsync(TimeSpan.FromSeconds(3601));

        (await ExchangeAsync(old.Plaintext), await ExchangeAsync(rolled.Plaintext)).Should()
            .Be((HttpStatusCode.Unauthorized, HttpStatusCode.OK), "only the new key works after it");
    }

    [Fact]
    public async Task K10_a_use_of_the_old_key_after_its_grace_is_audited_as_replaced()
    {
        var old = await factory.KeyAsync(await factory.StaffAsync());
        await RollAsync(old.Key.KeyId, 0);

        await ExchangeAsync(old.Plaintext);
        await factory.Services.GetRequiredService<AuditQueue>().FlushAsync();

        var refused = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().AuditEvents
            .Where(e => e.TargetId == old.Key.KeyId && e.Action == AuditActions.TokenRefused)
            .Select(e => e.Detail).ToListAsync());
        refused.Should().Equal("key replaced");
    }

    [Fact]
    public async Task K10_a_token_of_the_old_key_dies_when_the_old_key_expires()
    {
        var old = await factory.KeyAsync(await factory.StaffAsync());
        var token = await client.AccessTokenAsync(old.Plaintext);
        await RollAsync(old.Key.KeyId, 60);
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);

        await factory.AdvanceAsync(TimeSpan.FromSeconds(61));

        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "the token is within its own 15 minutes, but its key stopped at the end of the grace");
    }

    [Fact]
    public async Task K10_the_new_key_has_the_old_ones_settings_and_the_two_link_to_each_other()
    {
        var owner = await factory.StaffAsync();
        var expires = factory.Time.GetUtcNow().UtcDateTime.AddDays(30);
        var old = await factory.KeyAsync(owner, "read:api_keys read:users", "test", expires, "Payroll sync",
            new Dictionary<string, IReadOnlyList<string>> { ["staff"] = ["name", "email"] },
            ["203.0.113.0/24", "2001:db8::/32"], "Nightly payroll file");

        var rolled = (await RollAsync(old.Key.KeyId, 3600)).Value!.Key;
        var before = await ViewAsync(old.Key.KeyId);

        rolled.Should().BeEquivalentTo(old.Key, o => o.Including(k => k.Name).Including(k => k.Description)
            .Including(k => k.Environment).Including(k => k.Scopes).Including(k => k.Fields)
            .Including(k => k.AllowedIps).Including(k => k.ExpiresAt));
        (rolled.ReplacesKeyId, before.ReplacedByKeyId, before.Status).Should()
            .Be((old.Key.KeyId, rolled.KeyId, ApiKeyStatus.Replaced));
        before.ExpiresAt.Should().Be(factory.Time.GetUtcNow().UtcDateTime.AddSeconds(3600));
    }

    [Fact]
    public async Task K10_the_grace_never_outlives_the_old_keys_own_expiry()
    {
        var expires = factory.Time.GetUtcNow().UtcDateTime.AddHours(1);
        var old = await factory.KeyAsync(await factory.StaffAsync(), expiresAt: expires);

        await RollAsync(old.Key.KeyId, ApiKeyService.MaxGraceSeconds);

        (await ViewAsync(old.Key.KeyId)).ExpiresAt.Should().Be(expires);
    }

    [Theory]
    [InlineData("revoked", "is revoked")]
    [InlineData("expired", "has expired")]
    [InlineData("replaced", "was already rolled")]
    public async Task K10_a_revoked_expired_or_replaced_key_cannot_be_rolled(string state, string message)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(),
            expiresAt: factory.Time.GetUtcNow().UtcDateTime.AddMinutes(1));
        switch (state)
        {
            case "revoked": await factory.RevokeAsync(key.Key.KeyId); break;
            case "expired": await factory.AdvanceAsync(TimeSpan.FromMinutes(2)); break;
            default: await RollAsync(key.Key.KeyId, 10); break;
        }
        var keysBefore = await KeyCountAsync();

        var answer = await client.PostJsonAsync($"/v1/api-keys/{key.Key.KeyId}/roll", await AdminTokenAsync(),
            """{"graceSeconds":60}""");

        (answer.StatusCode, await answer.Content.ReadAsStringAsync()).Should()
            .Match<(HttpStatusCode Status, string Body)>(a => a.Status == HttpStatusCode.Conflict
                && a.Body.Contains(message));
        (await KeyCountAsync()).Should().Be(keysBefore + 1, "only the admin key was made");
    }

    private Task<int> KeyCountAsync() =>
        factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.CountAsync());

    [Theory]
    [InlineData("""{"graceSeconds":-1}""", "graceSeconds")]
    [InlineData("""{"graceSeconds":604801}""", "graceSeconds")]
    [InlineData("""{"graceSeconds":"a day"}""", "graceSeconds")]
    [InlineData("""{"graceSeconds":99999999999}""", "graceSeconds")]
    public async Task K10_a_grace_out_of_range_is_a_400_naming_it_and_changes_nothing(string body, string field)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var token = await AdminTokenAsync();
        var keysBefore = await KeyCountAsync();

        var answer = await client.PostJsonAsync($"/v1/api-keys/{key.Key.KeyId}/roll", token, body);

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await answer.Content.ReadAsStringAsync()).Should().Contain(field);
        ((await KeyCountAsync()), (await ViewAsync(key.Key.KeyId)).Status).Should()
            .Be((keysBefore, ApiKeyStatus.Active));
    }

    [Fact]
    public async Task K10_of_five_rolls_of_one_key_at_once_exactly_one_succeeds()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var token = await AdminTokenAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            client.PostJsonAsync($"/v1/api-keys/{key.Key.KeyId}/roll", token, """{"graceSeconds":60}""")));

        answers.Select(a => a.StatusCode).Should().ContainSingle(s => s == HttpStatusCode.Created)
            .And.OnlyContain(s => s == HttpStatusCode.Created || s == HttpStatusCode.Conflict);
        var successors = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys
            .CountAsync(k => k.ReplacesKeyId == key.Key.KeyId));
        successors.Should().Be(1);
    }

    [Fact]
    public async Task K10_a_key_rolling_a_key_with_a_scope_it_does_not_hold_is_refused_and_nothing_changes()
    {
        var owner = await factory.StaffAsync();
        var wide = await factory.KeyAsync(owner, "read:api_keys read:users");
        var narrow = await client.AccessTokenAsync((await factory.KeyAsync(owner, ScopeCatalog.WriteApiKeys))
            .Plaintext);
        var keysBefore = await KeyCountAsync();

        var answer = await client.PostJsonAsync($"/v1/api-keys/{wide.Key.KeyId}/roll", narrow, "{}");

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await answer.Content.ReadAsStringAsync()).Should().Contain("read:api_keys");
        ((await KeyCountAsync()), (await ViewAsync(wide.Key.KeyId)).Status).Should()
            .Be((keysBefore, ApiKeyStatus.Active));
    }

    [Fact]
    public async Task K10_rolling_over_v1_answers_the_new_key_once_and_sends_api_key_rolled()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var token = await AdminTokenAsync();
        await factory.WithScopeAsync(s => s.GetRequiredService<WebhookEndpointService>().CreateAsync(Actor.System,
            new(PortalFactory.UnansweredWebhookUrl, null, [WebhookEvents.ApiKeyRolled])));

        var answer = await client.PostJsonAsync($"/v1/api-keys/{key.Key.KeyId}/roll", token, "{}");
        var created = await answer.JsonAsync();

        (answer.StatusCode, answer.Headers.CacheControl?.NoStore).Should().Be((HttpStatusCode.Created, true));
        var newKey = created.GetProperty("key").GetString()!;
        (await ExchangeAsync(newKey)).Should().Be(HttpStatusCode.OK);
        var sent = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().WebhookMessages
            .Where(m => m.Type == WebhookEvents.ApiKeyRolled).Select(m => m.Payload).ToListAsync());
        sent.Should().ContainSingle().Which.Should().Contain(key.Key.KeyId)
            .And.Contain(created.GetProperty("apiKey").GetProperty("keyId").GetString());
    }
}

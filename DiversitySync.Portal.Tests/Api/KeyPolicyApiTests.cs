namespace DiversitySync.Portal.Tests.Api;

/// <summary>GET/PUT /v1/settings/key-policy, and the policy applied to keys made through /v1 (K-12).</summary>
public class KeyPolicyApiTests
{
    private const string Path = "/v1/settings/key-policy";

    private static async Task<(PortalFactory Factory, HttpClient Client, string Token)> OwnerAsync()
    {
        var factory = new PortalFactory();
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var key = await factory.KeyAsync(owner, "read:settings write:settings write:api_keys");
        var client = factory.CreateClient();
        return (factory, client, await client.AccessTokenAsync(key.Plaintext));
    }

    [Fact]
    public async Task K12_an_owner_replaces_the_policy_reads_it_back_and_the_change_is_audited_before_and_after()
    {
        var (factory, client, token) = await OwnerAsync();
        await using var app = factory;

        var put = await client.SendJsonAsync(HttpMethod.Put, Path, token,
            """{"liveMaxLifetimeDays":365,"liveKeysMustExpire":true,"expireUnusedAfterDays":90}""");
        var read = await (await client.GetAsync(Path, token)).JsonAsync();

        put.StatusCode.Should().Be(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        read.GetProperty("liveMaxLifetimeDays").GetInt32().Should().Be(365);
        read.GetProperty("testMaxLifetimeDays").ValueKind.Should().Be(JsonValueKind.Null);
        read.GetProperty("expireUnusedAfterDays").GetInt32().Should().Be(90);
        (await factory.AuditAsync(AuditActions.KeyPolicyChanged)).Should().ContainSingle().Which.Detail.Should()
            .Be("no rules → Live keys expire within 365 days. Keys unused for 90 days expire automatically, with " +
                "reminders 7 days and 1 day before.");
    }

    [Theory]
    [InlineData("""{"liveMaxLifetimeDays":0}""", "liveMaxLifetimeDays")]
    [InlineData("""{"testMaxLifetimeDays":-5}""", "testMaxLifetimeDays")]
    [InlineData("""{"testMaxLifetimeDays":99999}""", "testMaxLifetimeDays")]
    [InlineData("""{"expireUnusedAfterDays":3}""", "expireUnusedAfterDays")]
    [InlineData("""{"liveMaxLifetimeDays":"a year"}""", null)]
    [InlineData("""{"liveMaxLifetimeDays":1e40}""", null)]
    [InlineData("""{"liveKeysMustExpire":""", null)]
    public async Task K12_a_policy_that_would_refuse_every_expiry_or_is_malformed_is_400_and_nothing_changes(
        string body, string? field)
    {
        var (factory, client, token) = await OwnerAsync();
        await using var app = factory;
        await client.SendJsonAsync(HttpMethod.Put, Path, token, """{"writeKeysNeedAllowlist":true}""");

        var put = await client.SendJsonAsync(HttpMethod.Put, Path, token, body);

        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        if (field is not null) (await put.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
        var kept = await (await client.GetAsync(Path, token)).JsonAsync();
        kept.GetProperty("writeKeysNeedAllowlist").GetBoolean().Should().BeTrue();
        kept.GetProperty("liveMaxLifetimeDays").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task K12_a_key_made_through_v1_that_breaks_the_policy_is_400_naming_expiresAt()
    {
        var (factory, client, token) = await OwnerAsync();
        await using var app = factory;
        await client.SendJsonAsync(HttpMethod.Put, Path, token, """{"liveKeysMustExpire":true}""");

        var created = await client.PostJsonAsync("/v1/api-keys", token,
            """{"name":"Forever","environment":"live","scopes":["write:api_keys"]}""");

        created.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await created.JsonAsync()).GetProperty("errors").GetProperty("expiresAt")[0].GetString().Should()
            .Contain("requires live keys to expire");
    }

    [Fact]
    public async Task K12_only_owners_hold_the_settings_scopes_by_default()
    {
        await using var factory = new PortalFactory();
        var admin = await factory.StaffAsync(StaffRole.Admin);

        var refused = await factory.WithScopeAsync(s => s.GetRequiredService<KeyPolicyService>().GetAsync(
            Seed.ActorOf(admin)));

        refused.Refusal!.Message.Should().Contain("read:settings");
    }
}

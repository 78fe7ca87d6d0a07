namespace DiversitySync.Portal.Tests.Keys;

/// <summary>
/// The organisation's key policy (K-12): enforced by the key service on every new key and every changed expiry or
/// allowlist, shown on Review for keys made before it, never changing them silently; unused keys expire with their
/// reminders first. Each test has its own app: the policy is the organisation's. On SQLite and PostgreSQL: the
/// review's filter compares dates the database computes.
/// </summary>
public sealed class KeyPolicyTests : KeyPolicyTestsOn
{
    protected override PortalFactory NewApp() => new();
}

public sealed class KeyPolicyTestsOnPostgreSQL : KeyPolicyTestsOn
{
    protected override PortalFactory NewApp() => new PostgresPortalFactory();
}

public abstract class KeyPolicyTestsOn
{
    protected abstract PortalFactory NewApp();

    private static readonly KeyPolicy Strict = new(LiveMaxLifetimeDays: 365, LiveKeysMustExpire: true,
        WriteKeysNeedAllowlist: true);

    private static DateTime Now(PortalFactory factory) => factory.Time.GetUtcNow().UtcDateTime;

    private static async Task<bool> WorksAsync(PortalFactory factory, NewApiKey key) =>
        (await factory.CreateClient().ExchangeAsync(key.Plaintext)).StatusCode == HttpStatusCode.OK;

    private static Task SaveAsync(PortalFactory factory, KeyPolicy policy) => factory.WithScopeAsync(async s =>
        (await s.GetRequiredService<KeyPolicyService>().SaveAsync(policy, Actor.System)).Refusal.Should().BeNull());

    private static Task<Outcome<NewApiKey>> CreateAsync(PortalFactory factory, StaffMember owner, string environment,
        DateTime? expiresAt, string scopes = ScopeCatalog.ReadApiKeys, IReadOnlyList<string>? allowedIps = null) =>
        factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(new NewApiKeyRequest("Policy",
            null, environment, scopes.Split(' '), expiresAt, null, allowedIps), Actor.System, owner.Id));

    [Fact]
    public async Task K12_new_keys_are_refused_by_field_when_they_break_the_policy_and_nothing_is_written()
    {
        await using var factory = NewApp();
        var owner = await factory.StaffAsync();
        await SaveAsync(factory, Strict);
        var now = Now(factory);

        var neverExpires = await CreateAsync(factory, owner, "live", null);
        var tooLong = await CreateAsync(factory, owner, "live", now.AddDays(366));
        var writerAnywhere = await CreateAsync(factory, owner, "live", now.AddDays(30), "write:api_keys",
            ["0.0.0.0/0"]);

        neverExpires.Refusal!.Errors.Keys.Should().Equal("expiresAt");
        tooLong.Refusal!.Errors["expiresAt"].Should().ContainSingle().Which.Should().Contain("at most 365 days");
        writerAnywhere.Refusal!.Errors.Keys.Should().Equal("allowedIps");
        (await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.CountAsync()))
            .Should().Be(0);
    }

    [Fact]
    public async Task K12_keys_within_the_policy_are_made_and_test_keys_follow_their_own_rules()
    {
        await using var factory = NewApp();
        var owner = await factory.StaffAsync();
        await SaveAsync(factory, Strict);
        var now = Now(factory);

        var live = await CreateAsync(factory, owner, "live", now.AddDays(365));
        var writer = await CreateAsync(factory, owner, "live", now.AddDays(30), "write:api_keys", ["203.0.113.0/24"]);
        var test = await CreateAsync(factory, owner, "test", null, "read:api_keys write:api_keys", ["10.0.0.0/8"]);

        new[] { live, writer, test }.Should().AllSatisfy(made => made.Refusal.Should().BeNull());
    }

    [Fact]
    public async Task K12_keys_made_before_a_rule_keep_working_unchanged_are_listed_on_review_and_changes_keep_the_rule()
    {
        await using var factory = NewApp();
        var owner = await factory.StaffAsync();
        var forever = (await factory.KeyAsync(owner, name: "forever")).Key.KeyId;
        var writerKey = await factory.KeyAsync(owner, "write:api_keys", expiresAt: Now(factory).AddDays(30),
            name: "writer anywhere");
        var writer = writerKey.Key.KeyId;
        await factory.KeyAsync(owner, expiresAt: Now(factory).AddDays(30), name: "keeps it");
        await factory.KeyAsync(owner, environment: "test", name: "test key");
        await SaveAsync(factory, Strict);

        var review = await factory.WithScopeAsync(s => s.GetRequiredService<KeyReview>().CardsAsync(Actor.System));
        var listed = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().SearchAsync(Actor.System,
            ApiKeyQueryParser.Parse(KeyReview.BreaksPolicy.Filter).Query));
        var longer = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().SetExpiryAsync(forever,
            Now(factory).AddDays(400), Actor.System));
        var anywhere = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().SetAllowedIpsAsync(
            writer, [], Actor.System));
        var shorter = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().SetExpiryAsync(forever,
            Now(factory).AddDays(300), Actor.System));

        review.Value!.Single(c => c.Id == "breaks-policy").Count.Should().Be(2);
        listed.Value!.Items.Select(k => k.Name).Should().BeEquivalentTo("forever", "writer anywhere");
        longer.Refusal!.Errors.Keys.Should().Equal("expiresAt");
        anywhere.Refusal!.Errors.Keys.Should().Equal("allowedIps");
        shorter.Value!.ExpiresAt.Should().Be(Now(factory).AddDays(300), "an expiry within the lifetime is a fix");
        (await WorksAsync(factory, writerKey)).Should().BeTrue("a key made before the rule is not changed silently");
    }

    [Fact]
    public async Task K12_rolling_a_key_that_breaks_the_policy_is_refused_naming_the_field_and_nothing_changes()
    {
        await using var factory = NewApp();
        var owner = await factory.StaffAsync();
        var old = (await factory.KeyAsync(owner)).Key.KeyId;
        await SaveAsync(factory, Strict);

        var rolled = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().RollAsync(old, 3600,
            Actor.System));

        rolled.Refusal!.Errors.Keys.Should().Equal("expiresAt");
        (await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.Select(k => new
        {
            k.KeyId,
            k.ReplacedByKeyId
        }).ToListAsync())).Should().ContainSingle().Which.ReplacedByKeyId.Should().BeNull();
    }

    [Fact]
    public async Task K12_keys_unused_for_the_policys_days_expire_after_reminders_and_used_ones_do_not()
    {
        await using var factory = NewApp();
        var owner = await factory.StaffAsync();
        var idleKey = await factory.KeyAsync(owner, name: "idle");
        var soonKey = await factory.KeyAsync(owner, name: "idle for 25 days");
        var usedKey = await factory.KeyAsync(owner, name: "used yesterday");
        var (idle, soon, used) = (idleKey.Key.KeyId, soonKey.Key.KeyId, usedKey.Key.KeyId);
        var now = Now(factory);
        await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            await db.ApiKeys.ExecuteUpdateAsync(set => set.SetProperty(k => k.CreatedAt, now.AddDays(-60)));
            await db.ApiKeys.Where(k => k.KeyId == soon)
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now.AddDays(-25)));
            await db.ApiKeys.Where(k => k.KeyId == used)
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now.AddDays(-1)));
        });
        await SaveAsync(factory, new KeyPolicy(ExpireUnusedAfterDays: 30));

        var expired = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>()
            .ExpireUnusedAsync(Actor.System));
        await factory.WithScopeAsync(s => s.GetRequiredService<KeyExpiryReminders>().RunAsync(CancellationToken.None));
        var reminders = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().KeyReminders
            .Select(r => new { r.KeyId, r.Kind }).ToListAsync());

        expired.Value.Should().Be(1);
        (await WorksAsync(factory, idleKey)).Should().BeFalse();
        (await WorksAsync(factory, soonKey)).Should().BeTrue();
        (await WorksAsync(factory, usedKey)).Should().BeTrue();
        (await factory.AuditAsync(AuditActions.KeyExpiredUnused)).Should().ContainSingle(e => e.TargetId == idle);
        reminders.Should().Contain(r => r.KeyId == soon && r.Kind.StartsWith("7d@"), "five days before it expires")
            .And.NotContain(r => r.KeyId == used);
    }
}

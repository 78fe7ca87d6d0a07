namespace DiversitySync.Portal.Tests.Keys;

public class ApiKeyServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private Task<Outcome<NewApiKey>> CreateAsync(StaffMember creator, NewApiKeyRequest request) =>
        factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(request, Actor.System,
            creator.Id));

    private Task<(int Keys, int Events)> CountsAsync() => factory.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<PortalDbContext>();
        return (await db.ApiKeys.CountAsync(),
            await db.AuditEvents.CountAsync(e => e.Action == AuditActions.KeyCreated));
    });

    [Fact]
    public async Task P06_a_forged_request_for_a_scope_the_creator_lacks_is_rejected_and_writes_nothing()
    {
        var readOnly = await factory.StaffAsync(StaffRoleNames.ReadOnly);
        var before = await CountsAsync();

        var result = await CreateAsync(readOnly,
            new("Forged", null, "live", ["read:api_keys", "write:api_keys"], null));

        result.Value.Should().BeNull();
        result.Refusal!.Errors["scopes"].Should().ContainSingle().Which.Should().Contain("write:api_keys");
        (await CountsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task An_admin_cannot_grant_write_roles_but_an_owner_can()
    {
        var admin = await factory.StaffAsync(StaffRoleNames.Admin);
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        NewApiKeyRequest request = new("Roles", null, "live", ["write:roles"], null);

        (await CreateAsync(admin, request)).Refusal!.Errors.Should().ContainKey("scopes");
        (await CreateAsync(owner, request)).Value.Should().NotBeNull();
    }

    [Fact]
    public async Task P06_no_active_key_ever_holds_a_scope_its_creator_lost_in_a_concurrent_demotion()
    {
        for (var run = 0; run < 20; run++)
        {
            var creator = await factory.StaffAsync(StaffRoleNames.Owner);
            var create = CreateAsync(creator, new("Race", null, "live", ["write:api_keys"], null));
            var demote = factory.ChangeStaffAsync(creator, role: StaffRoleNames.ReadOnly);
            await Task.WhenAll(create, demote);

            var created = (await create).Value;
            if (created is null) continue; // the demotion came first: refused, correctly
            // The key was created first; the demotion then cut it down at exchange time.
            var exchange = await factory.CreateClient().ExchangeAsync(created.Plaintext, "write:api_keys");
            exchange.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest, $"run {run}");
        }
    }

    public static TheoryData<NewApiKeyRequest, string> InvalidRequests() => new()
    {
        { new("", null, "live", ["read:api_keys"], null), "name" },
        { new(new string('n', 101), null, "live", ["read:api_keys"], null), "name" },
        { new("Bell\u0007", null, "live", ["read:api_keys"], null), "name" },
        { new("Ok", new string('d', 501), "live", ["read:api_keys"], null), "description" },
        { new("Ok", null, "staging", ["read:api_keys"], null), "environment" },
        { new("Ok", null, "live", [], null), "scopes" },
        { new("Ok", null, "live", ["read:everything"], null), "scopes" },
        { new("Ok", null, "live", ["read:api_keys"], new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            "expiresAt" },
        { new("Ok", null, "live", ["read:api_keys"], DateTime.UtcNow.AddYears(20)), "expiresAt" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Invalid_requests_name_the_field_and_write_nothing(NewApiKeyRequest request, string field)
    {
        var owner = await factory.StaffAsync();
        var before = await CountsAsync();

        var result = await CreateAsync(owner, request);

        result.Refusal!.Errors.Should().ContainKey(field);
        (await CountsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Archived_staff_cannot_own_new_keys()
    {
        var archived = await factory.StaffAsync();
        await factory.ChangeStaffAsync(archived, StaffStatus.Archived);

        var result = await CreateAsync(archived, new("Late", null, "live", ["read:api_keys"], null));

        result.Refusal!.Errors.Should().ContainKey("creator");
    }

    [Fact]
    public async Task Revoking_twice_reports_already_revoked_and_keeps_the_first_revocation()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());

        (await factory.RevokeAsync(key.Key.KeyId)).Should().BeNull();
        await factory.AdvanceAsync(TimeSpan.FromMinutes(1));
        (await factory.RevokeAsync(key.Key.KeyId))!.Kind.Should().Be(RefusalKind.Conflict);

        var view = (await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().GetAsync(Actor.System,
            key.Key.KeyId))).Value;
        view!.Status.Should().Be(ApiKeyStatus.Revoked);
        view.RevokedAt.Should().Be(factory.Time.GetUtcNow().UtcDateTime.AddMinutes(-1));
    }
}

namespace DiversitySync.Portal.Tests.Api;

/// <summary>/v1/staff, /v1/invites and the rules behind them (P-04, T-05).</summary>
public class StaffEndpointTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    /// <summary>
    /// Every scope of the catalog: a key acts only on accounts that hold nothing beyond its scopes (P-06).
    /// </summary>
    private string StaffScopes => factory.AllScopes();
    private readonly HttpClient client = factory.CreateClient();

    private async Task<string> TokenAsync(StaffMember creator, string? scopes = null) =>
        await client.AccessTokenAsync((await factory.KeyAsync(creator, scopes ?? StaffScopes)).Plaintext);

    private async Task<string> OwnerTokenAsync() => await TokenAsync(await factory.StaffAsync(StaffRole.Owner));

    private Task<HttpResponseMessage> PostAsync(string path, string token,
        string json = "{}") => client.PostJsonAsync(path, token, json);

    private Task<int> WritesAsync() => factory.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<PortalDbContext>();
        return await db.Users.CountAsync() + await db.UserRoles.CountAsync() + await db.StaffLinks.CountAsync()
            + await db.AuditEvents.CountAsync(e => e.Action.StartsWith("staff."));
    });

    [Fact]
    public async Task Staff_list_shows_roles_status_and_active_key_counts()
    {
        var rita = await factory.StaffAsync(StaffRole.Admin, "Rita Roster");
        await factory.KeyAsync(rita);
        await factory.RevokeAsync((await factory.KeyAsync(rita)).Key.KeyId);

        var page = await (await client.GetAsync("/v1/staff?search=rita%20roster", await OwnerTokenAsync())).JsonAsync();

        var row = page.GetProperty("items").EnumerateArray().Single();
        row.GetProperty("displayName").GetString().Should().Be("Rita Roster");
        row.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Admin");
        row.GetProperty("status").GetString().Should().Be("active");
        row.GetProperty("activeKeys").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Invite_returns_a_one_time_link_that_activates_the_account()
    {
        var response = await PostAsync("/v1/invites", await OwnerTokenAsync(), """{"email":"ivy@example.com","displayName":"Ivy Invited","roles":["ReadOnly"]}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.CacheControl!.NoStore.Should().BeTrue("the link lets whoever holds it choose the password");
        var body = await response.JsonAsync();
        body.GetProperty("staff").GetProperty("status").GetString().Should().Be("invited");
        var link = new Uri(body.GetProperty("url").GetString()!);
        var portal = factory.CreatePortalClient();
        var (status, _) = await portal.PostAsync(link.PathAndQuery, "set-password",
            [new("Input.Password", PortalSignIn.Password), new("Input.ConfirmPassword", PortalSignIn.Password)]);
        status.Should().Be(HttpStatusCode.OK);

        (await portal.SignInAsync("ivy@example.com",
            PortalSignIn.Password)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await factory.StandingAsync(body.GetProperty("staff").GetProperty("id").GetString()!)).Status.Should()
            .Be(StaffStatus.Active);
        (await portal.GetStringAsync(link.PathAndQuery)).Should().Contain("This link is invalid, has expired or has " +
            "been used", "a link works once");
    }

    [Fact]
    public async Task Archiving_revokes_every_active_key_of_the_person_and_their_tokens_and_session_fail_at_once()
    {
        // P-04: admin A is signed in, has key K and token T; archive A.
        var (session, admin) = await factory.SignedInAsync(StaffRole.Admin);
        var key = await factory.KeyAsync(admin, "read:api_keys");
        var other = await factory.KeyAsync(admin, "read:api_keys");
        var token = await client.AccessTokenAsync(key.Plaintext);

        var response = await PostAsync($"/v1/staff/{admin.Id}/archive", await OwnerTokenAsync());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("revokedKeys").GetInt32().Should().Be(2);
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.ExchangeAsync(other.Plaintext)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await session.GetAsync("/admin/api-keys")).RedirectTarget().Should().StartWith("/login");
        var revoked = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.AsNoTracking()
            .Where(k => k.CreatedById == admin.Id).Select(k => k.RevocationReason).ToListAsync());
        revoked.Should().Equal(ApiKeyService.CreatorArchivedReason, ApiKeyService.CreatorArchivedReason);
    }

    [Fact]
    public async Task R03_L04_a_failure_inside_the_archive_leaves_everything_as_it_was_and_says_nothing_of_it()
    {
        // the keys are revoked first; the staff row's update then fails. L-04: the 500 is generic.
        var admin = await factory.StaffAsync(StaffRole.Admin);
        var key = await factory.KeyAsync(admin);
        var token = await OwnerTokenAsync();
        factory.Commands.FailOn = "UPDATE \"AspNetUsers\"";
        HttpResponseMessage response;
        try
        {
            response = await PostAsync($"/v1/staff/{admin.Id}/archive", token);
        }
        finally
        {
            factory.Commands.FailOn = null;
        }

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync()).Should().NotContainAny("injected failure", "Exception", "   at ",
            "SQLite", "AspNetUsers");
        (await factory.StandingAsync(admin.Id)).Status.Should().Be(StaffStatus.Active);
        var stored = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.AsNoTracking()
            .SingleAsync(k => k.KeyId == key.Key.KeyId));
        stored.RevokedAt.Should().BeNull();
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.AuditAsync(AuditActions.StaffArchived)).Should().NotContain(e => e.TargetId == admin.Id);
    }

    /// <summary>
    /// Through the admin CLI, which is bounded only by the data's own rules: through /v1 the last Owner's own key may
    /// not touch its creator's account at all, and any other Owner's key means the target is not the last one.
    /// </summary>
    [Theory]
    [InlineData("archive")]
    [InlineData("block")]
    [InlineData("roles")]
    public async Task The_last_active_owner_cannot_be_archived_blocked_or_demoted(string action)
    {
        await using var fresh = factory.Fresh();
        var owner = await fresh.StaffAsync(StaffRole.Owner);

        var change = await fresh.WithScopeAsync(s => action switch
        {
            "archive" => s.GetRequiredService<StaffStanding>().ArchiveAsync(owner.Id, Actor.Cli),
            "block" => s.GetRequiredService<StaffStanding>().BlockAsync(owner.Id, Actor.Cli),
            _ => s.GetRequiredService<StaffRoles>().SetRolesAsync(owner.Id, [StaffRole.Admin], Actor.Cli),
        });

        change.Refusal!.Kind.Should().Be(RefusalKind.Conflict);
        change.Refusal.Message.Should().Contain("last active Owner");
        var (status, roles) = await fresh.StandingAsync(owner.Id);
        status.Should().Be(StaffStatus.Active);
        roles.Should().Equal(StaffRole.Owner);
    }

    public static TheoryData<string, string, string> Escalations => new()
    {
        // method, path ({target}, {self}), body
        { "PUT", "/v1/staff/{self}/roles", """{"roles":["Admin"]}""" },
        { "PUT", "/v1/staff/{target}/roles", """{"roles":["Owner"]}""" },
        { "PUT", "/v1/staff/{target}/roles", """{"roles":["People","Admin"]}""" },
        { "POST", "/v1/invites", """{"email":"mallory@example.com","displayName":"Mallory","roles":["Admin"]}""" },
        { "POST", "/v1/invites", """{"email":"mallory@example.com","displayName":"Mallory","roles":["Owner"]}""" },
        { "POST", "/v1/staff/{admin}/password-reset", "{}" },
        { "POST", "/v1/staff/{owner}/archive", "{}" },
        { "POST", "/v1/staff/{admin}/block", "{}" },
    };

    [Theory]
    [MemberData(nameof(Escalations))]
    public async Task A_key_never_gives_anyone_a_permission_its_creator_lacks(string method, string path, string body)
    {
        // The creator holds a custom role that manages people but not keys or roles beyond its own.
        await factory.RoleAsync("People",
            "read:users write:invites write:roles write:user_archive write:user_blocks write:user_passwords " +
            "write:user_mfa");
        var manager = await factory.StaffAsync("People");
        var target = await factory.StaffAsync("People");
        var admin = await factory.StaffAsync(StaffRole.Admin);
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var token = await TokenAsync(manager,
            "read:users write:invites write:roles write:user_archive write:user_blocks write:user_passwords");
        var url = path.Replace("{self}", manager.Id).Replace("{target}", target.Id).Replace("{admin}",
            admin.Id).Replace("{owner}", owner.Id);
        var before = await WritesAsync();

        var response = await client.SendJsonAsync(new HttpMethod(method), url, token, body);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        (await WritesAsync()).Should().Be(before, "a refused change writes nothing");
        (await factory.StandingAsync(manager.Id)).Roles.Should().Equal("People");
    }

    [Fact]
    public async Task Removing_a_role_narrows_the_persons_keys_at_the_next_exchange()
    {
        // T-05: the key holds read:audit through its creator's Admin role.
        var admin = await factory.StaffAsync(StaffRole.Admin);
        var key = await factory.KeyAsync(admin, "read:api_keys read:audit");
        var token = await client.AccessTokenAsync(key.Plaintext);
        (await client.GetAsync("/v1/audit-events", token)).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await client.SendJsonAsync(HttpMethod.Put, $"/v1/staff/{admin.Id}/roles", await OwnerTokenAsync(), """{"roles":["People"]}""".Replace("People", "ReadOnly"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/v1/audit-events", token)).StatusCode.Should().Be(HttpStatusCode.OK,
            "Read-only admins still hold read:audit");
        await factory.RoleAsync("Keys only", "read:api_keys");
        (await client.SendJsonAsync(HttpMethod.Put, $"/v1/staff/{admin.Id}/roles", await OwnerTokenAsync(), """{"roles":["Keys only"]}""")).EnsureSuccessStatusCode();
        (await client.GetAsync("/v1/audit-events", token)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var exchange = await client.ExchangeAsync(key.Plaintext, "read:audit");
        exchange.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await exchange.JsonAsync()).GetProperty("error").GetString().Should().Be("invalid_scope");
        TokenRequests.Payload(await client.AccessTokenAsync(key.Plaintext)).GetProperty("scope").GetString().Should()
            .Be("read:api_keys");
    }

    [Fact]
    public async Task Blocking_stops_the_persons_keys_until_they_are_unblocked()
    {
        var admin = await factory.StaffAsync(StaffRole.Admin);
        var key = await factory.KeyAsync(admin);
        var token = await OwnerTokenAsync();

        (await PostAsync($"/v1/staff/{admin.Id}/block", token)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var unblocked = await PostAsync($"/v1/staff/{admin.Id}/unblock", token);
        (await unblocked.JsonAsync()).GetProperty("status").GetString().Should().Be("active");
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Password_reset_ends_the_old_password_and_returns_a_link_for_a_new_one()
    {
        var (session, admin) = await factory.SignedInAsync(StaffRole.Admin);

        var response = await PostAsync($"/v1/staff/{admin.Id}/password-reset", await OwnerTokenAsync());

        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var link = new Uri((await response.JsonAsync()).GetProperty("url").GetString()!);
        (await session.GetAsync("/admin/api-keys")).RedirectTarget().Should().StartWith("/login",
            "a reset signs the person out everywhere");
        var portal = factory.CreatePortalClient();
        (await portal.SignInAsync(admin.Email!, PortalSignIn.Password)).StatusCode.Should().Be(HttpStatusCode.OK,
            "the old password no longer works");
        await portal.PostAsync(link.PathAndQuery, "set-password",
            [new("Input.Password", "Another-Horse-10"), new("Input.ConfirmPassword", "Another-Horse-10")]);
        (await portal.SignInAsync(admin.Email!, "Another-Horse-10")).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Staff_endpoints_answer_unknown_ids_and_bad_input_with_problems_not_errors()
    {
        var token = await OwnerTokenAsync();

        (await client.GetAsync("/v1/staff/nobody", token)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await PostAsync("/v1/staff/nobody/archive", token)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await PostAsync($"/v1/staff/{new string('x', 5000)}/block",
            token)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/v1/staff?status=sleeping", token)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync("/v1/invites", token, """{"email":"not an email","displayName":"X","roles":["Admin"]}""")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync("/v1/invites", token, """{"email":"x@example.com","displayName":"X","roles":[]}""")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync("/v1/invites", token, "{not json")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("/v1/audit-events?from=yesterday",
            token)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("/v1/audit-events?action=key.exploded",
            token)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Audit_events_can_be_filtered_by_actor_action_target_and_date()
    {
        var admin = await factory.StaffAsync(StaffRole.Admin, "Abe Audited");
        var token = await OwnerTokenAsync();
        await PostAsync($"/v1/staff/{admin.Id}/block", token);
        var today = factory.Time.GetUtcNow().ToString("yyyy-MM-dd");

        var page = await (await client.GetAsync($"/v1/audit-events?action=staff.blocked&target={admin.Id}&from={today}&to={today}", token)).JsonAsync();
        var tomorrow = await (await client.GetAsync($"/v1/audit-events?target={admin.Id}&from={factory.Time.GetUtcNow().AddDays(1):yyyy-MM-dd}", token)).JsonAsync();

        var blocked = page.GetProperty("items").EnumerateArray().Single();
        blocked.GetProperty("actorType").GetString().Should().Be("key");
        blocked.GetProperty("occurredAt").GetString().Should().EndWith("Z");
        tomorrow.GetProperty("total").GetInt32().Should().Be(0);
    }
}

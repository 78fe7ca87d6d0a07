namespace DiversitySync.Portal.Tests.Audit;

/// <summary>
/// The audit trail: an event for every action, with who, what, when and from where, never a secret (L-01, L-02).
/// </summary>
public class AuditTrailTests : IAsyncLifetime
{
    private readonly PortalFactory factory;

    public AuditTrailTests() : this(new PortalFactory())
    {
    }

    /// <summary>For the same tests on another provider.</summary>
    protected AuditTrailTests(PortalFactory factory) => this.factory = factory;
    private readonly List<string> secrets = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    /// <summary>Every audited action, each through the portal, /v1 or the service a portal screen calls.</summary>
    private async Task DoEverythingAsync()
    {
        var (_, owner) = await factory.SignedInAsync(StaffRole.Owner, "Olive Owner");
        await factory.CreatePortalClient().SignInAsync(owner.Email!, "wrong password");
        var api = factory.CreateClient();
        // Every scope: a key acts only on accounts, and gives only roles, within its own scopes (P-06).
        var ownerKey = await factory.KeyAsync(owner, factory.AllScopes());
        secrets.Add(ownerKey.Plaintext);
        var token = await api.AccessTokenAsync(ownerKey.Plaintext);
        secrets.Add(token);
        var created = await api.PostJsonAsync("/v1/api-keys", token, """{"name":"Audited","environment":"test","scopes":["read:users"]}""");
        var newKey = (await created.JsonAsync()).GetProperty("key").GetString()!;
        secrets.Add(newKey);
        await api.PostJsonAsync($"/v1/api-keys/{(await created.JsonAsync()).GetProperty("apiKey").GetProperty("keyId").GetString()}/revoke", token, "{}");
        (await api.ExchangeAsync(newKey)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var invite = await (await api.PostJsonAsync("/v1/invites", token, """{"email":"ivy@example.com","displayName":"Ivy","roles":["ReadOnly"]}""")).JsonAsync();
        secrets.Add(new Uri(invite.GetProperty("url").GetString()!).Query);
        var staff = await factory.StaffAsync(StaffRole.ReadOnly);
        await api.SendJsonAsync(HttpMethod.Put, $"/v1/staff/{staff.Id}/roles", token, """{"roles":["ReadOnly","Admin"]}""");
        foreach (var action in new[] { "block", "unblock", "mfa-reset", "archive", "unarchive" })
        {
            (await api.PostJsonAsync($"/v1/staff/{staff.Id}/{action}", token,
                "{}")).StatusCode.Should().Be(HttpStatusCode.OK, action);
        }
        var reset = await (await api.PostJsonAsync($"/v1/staff/{staff.Id}/password-reset", token, "{}")).JsonAsync();
        secrets.Add(new Uri(reset.GetProperty("url").GetString()!).Query);
        // The portal's Revoke all dialog calls the service as the signed-in Owner, from their address.
        var all = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>()
            .RevokeAllAsync(Seed.ActorOf(owner), ApiKeyService.RevokeAllPhrase));
        all.Succeeded.Should().BeTrue();
    }

    private static readonly string[] RequiredActions =
    [
        AuditActions.SignInSucceeded, AuditActions.SignInFailed, AuditActions.KeyCreated, AuditActions.KeyRevoked, AuditActions.KeysRevokedAll,
        AuditActions.TokenIssued, AuditActions.TokenRefused, AuditActions.StaffInvited, AuditActions.StaffArchived,
        AuditActions.StaffUnarchived,
        AuditActions.StaffBlocked, AuditActions.StaffUnblocked, AuditActions.StaffRolesChanged,
        AuditActions.StaffPasswordReset, AuditActions.StaffMfaReset,
    ];

    [Fact]
    public async Task Every_action_leaves_an_event_with_time_actor_target_and_client_ip_and_no_secret()
    {
        await DoEverythingAsync();
        await factory.Services.GetRequiredService<AuditQueue>().FlushAsync();
        var events = await factory.WithScopeAsync(s =>
            s.GetRequiredService<PortalDbContext>().AuditEvents.AsNoTracking().ToListAsync());

        foreach (var action in RequiredActions)
        {
            // Test set-up (Seed) acts as the system; everything else here came through HTTP.
            var recorded = events.Where(e => e.Action == action && e.ActorType != Actor.SystemType).ToList();
            recorded.Should().NotBeEmpty($"{action} must be audited");
            recorded.Should().AllSatisfy(e =>
            {
                e.OccurredAt.Kind.Should().Be(DateTimeKind.Utc, action);
                e.ActorType.Should().BeOneOf(Actor.StaffType, Actor.KeyType);
                (e.ActorId ?? e.ActorName).Should().NotBeNullOrEmpty(action);
                e.ClientIp.Should().NotBeNullOrEmpty(action);
            });
            if (action != AuditActions.KeysRevokedAll) recorded.Should().OnlyContain(e => e.TargetId != null, action);
        }
        events.Single(e => e.Action == AuditActions.TokenRefused).Detail.Should().Contain("revoked",
            "the internal reason goes to the audit log");
        var everything = string.Join("\n", events.Select(e => $"{e.ActorName} {e.TargetId} {e.Detail}"));
        secrets.Should().OnlyContain(secret => !everything.Contains(secret),
            "an audit event never holds a key, token or link");
    }

    [Fact]
    public void The_audit_log_can_only_grow_through_the_app()
    {
        // Append-only: nothing in the app updates or deletes audit rows (a grep over the source, like P-01's).
        var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../DiversitySync.Portal"));
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f) is var text
                && (text.Contains("AuditEvents.Remove") || text.Contains("AuditEvents.Update")
                || System.Text.RegularExpressions.Regex.IsMatch(text, @"AuditEvents[^;]*\.Execute(Update|Delete)")))
            .ToList();

        offenders.Should().BeEmpty();
    }
}

using System.Reflection;
using DiversitySync.Portal.Tokens;

namespace DiversitySync.Portal.Tests.Authorization;

/// <summary>
/// Every service method that reads or changes keys, staff, roles, links or the audit log checks its actor's current
/// standing itself, whatever a screen drawn earlier offered (P-04, P-06). For each method: an actor without the
/// permission, a blocked, an archived and a demoted one, keys whose creator or token lacks it, and a revoked key are
/// refused and nothing is written; an actor holding it succeeds. A new service method without a row fails the last
/// test.
/// </summary>
public class AuthorizationMatrixTests(QuietPortalFactory factory) : IClassFixture<QuietPortalFactory>
{
    private const string SystemOnly = "system";
    private const string SelfOnly = "self";

    /// <param name="Permission">What the actor must hold; <see cref="SystemOnly"/>: only the admin CLI; <see
    /// cref="SelfOnly"/>: one's own account.</param>
    /// <param name="Arrange">Makes what the call is aimed at and gives its id (a key, a staff member, a role
    /// name).</param>
    /// <param name="Act">The call; gives its refusal, or null when it did what was asked.</param>
    public sealed record Row(string Method, string Permission, Func<PortalFactory, Task<string>> Arrange,
        Func<IServiceProvider, Actor, string, Task<Refusal?>> Act, bool OwnerOnly = false);

    private static readonly Func<PortalFactory, Task<string>> Nothing = _ => Task.FromResult("");
    private static readonly Func<PortalFactory, Task<string>> AKey = async f =>
        (await f.KeyAsync(await f.StaffAsync())).Key.KeyId;
    /// <summary>
    /// Someone holding no permission, so that an actor's standing is all that decides (a key may act only on accounts
    /// within its scopes).
    /// </summary>
    private static Func<PortalFactory, Task<string>> AStaffMember(StaffStatus status = StaffStatus.Active) => async f =>
    {
        var staff = await f.StaffWithoutRolesAsync();
        if (status != StaffStatus.Active) await f.ChangeStaffAsync(staff, status);
        return staff.Id;
    };

    private static T Get<T>(IServiceProvider s) where T : notnull => s.GetRequiredService<T>();

    /// <summary>
    /// The only endpoint (there can be at most 50), on loopback where nothing answers: saved without DNS, and no
    /// delivery runs here.
    /// </summary>
    private static readonly Func<PortalFactory, Task<string>> AnEndpoint = f => f.WithScopeAsync(async s =>
    {
        await Get<PortalDbContext>(s).WebhookEndpoints.ExecuteDeleteAsync();
        return (await Get<WebhookEndpointService>(s).CreateAsync(Actor.System,
            new(PortalFactory.UnansweredWebhookUrl, null, ["api_key.created"]))).Value!.Id;
    });

    /// <summary>An endpoint with one delivery queued: "endpointId/deliveryId".</summary>
    private static readonly Func<PortalFactory, Task<string>> ADelivery = async f =>
    {
        var endpoint = await AnEndpoint(f);
        return await f.WithScopeAsync(async s =>
        {
            await Get<WebhookEndpointService>(s).SendTestAsync(Actor.System, endpoint);
            return $"{endpoint}/{await Get<PortalDbContext>(s).WebhookMessages.Where(m => m.EndpointId == endpoint).Select(m => m.Id).SingleAsync()}";
        });
    };

    private static int policyChanges;

    private const string OnlyInvites = "Inviter";
    private const string OnlyRoles = "Role keeper";

    public static readonly IReadOnlyList<Row> Rows =
    [
        // The admin CLI names the key's owner; everyone else owns what they create.
        new("ApiKeyService.CreateAsync", ScopeCatalog.WriteApiKeys, async f => (await f.StaffAsync()).Id,
            async (s, a, owner) =>
            (await Get<ApiKeyService>(s).CreateAsync(new("Matrix", null, "live", [ScopeCatalog.WriteApiKeys], null), a,
                a.Type == Actor.SystemType ? owner : null)).Refusal),
        new("ApiKeyService.GrantableScopesAsync", ScopeCatalog.WriteApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyService>(s).GrantableScopesAsync(a)).Refusal),
        new("ApiKeyService.NewKeyPolicyAsync", ScopeCatalog.WriteApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyService>(s).NewKeyPolicyAsync(a)).Refusal),
        new("ApiKeyService.ExpireUnusedAsync", ScopeCatalog.WriteApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyService>(s).ExpireUnusedAsync(a)).Refusal),
        new("KeyPolicyService.GetAsync", ScopeCatalog.ReadSettings, Nothing,
            async (s, a, _) => (await Get<KeyPolicyService>(s).GetAsync(a)).Refusal),
        // A new value each time, so that the change is really written; no key here is 3,000 days old.
        new("KeyPolicyService.SaveAsync", ScopeCatalog.WriteSettings, Nothing,
            async (s, a, _) => (await Get<KeyPolicyService>(s).SaveAsync(
                new KeyPolicy(ExpireUnusedAfterDays: 3000 + Interlocked.Increment(ref policyChanges)), a)).Refusal),
        new("ApiKeyService.RevokeAsync", ScopeCatalog.WriteApiKeys, AKey,
            async (s, a, id) => (await Get<ApiKeyService>(s).RevokeAsync(id, a)).Refusal),
        new("ApiKeyService.RevokeAllAsync", ScopeCatalog.WriteApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyService>(s).RevokeAllAsync(a,
                ApiKeyService.RevokeAllPhrase)).Refusal, OwnerOnly: true),
        new("ApiKeyQueries.GetAsync", ScopeCatalog.ReadApiKeys, AKey,
            async (s, a, id) => (await Get<ApiKeyQueries>(s).GetAsync(a, id)).Refusal),
        new("ApiKeyQueries.SearchAsync", ScopeCatalog.ReadApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyQueries>(s).SearchAsync(a, new())).Refusal),
        new("ApiKeyQueries.CountUnrevokedAsync", ScopeCatalog.ReadApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyQueries>(s).CountUnrevokedAsync(a)).Refusal),
        new("ApiKeyQueries.CreatorsAsync", ScopeCatalog.ReadApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyQueries>(s).CreatorsAsync(a)).Refusal),
        new("ApiKeyQueries.StreamAsync", ScopeCatalog.DownloadApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyQueries>(s).StreamAsync(a, new())).Refusal),
        new("ApiKeyService.SetExpiryAsync", ScopeCatalog.WriteApiKeys, AKey,
            async (s, a, id) => (await Get<ApiKeyService>(s).SetExpiryAsync(id, null, a)).Refusal),
        // A key holding write:api_keys only: the successor is created within the acting key's scopes.
        new("ApiKeyService.RollAsync", ScopeCatalog.WriteApiKeys,
            async f => (await f.KeyAsync(await f.StaffAsync(), ScopeCatalog.WriteApiKeys)).Key.KeyId,
            async (s, a, id) => (await Get<ApiKeyService>(s).RollAsync(id, 60, a)).Refusal),
        new("ApiKeyService.SetAllowedIpsAsync", ScopeCatalog.WriteApiKeys, AKey,
            async (s, a, id) => (await Get<ApiKeyService>(s).SetAllowedIpsAsync(id, ["198.51.100.7"], a)).Refusal),
        new("ApiKeyService.RevokeManyAsync", ScopeCatalog.WriteApiKeys, AKey,
            async (s, a, id) => (await Get<ApiKeyService>(s).RevokeManyAsync([id], a, null)).Refusal),
        new("ApiKeyService.SetExpiryManyAsync", ScopeCatalog.WriteApiKeys, AKey,
            async (s, a, id) => (await Get<ApiKeyService>(s).SetExpiryManyAsync([id], null, a)).Refusal),
        new("ApiKeyService.MatchingAsync", ScopeCatalog.ReadApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyService>(s).MatchingAsync(new(), a)).Refusal),
        new("CredentialReport.StreamAsync", ScopeCatalog.DownloadApiKeys, Nothing,
            async (s, a, _) => (await Get<CredentialReport>(s).StreamAsync(a)).Refusal),
        new("ApiKeyQueries.CountAsync", ScopeCatalog.ReadApiKeys, Nothing,
            async (s, a, _) => (await Get<ApiKeyQueries>(s).CountAsync(a, new())).Refusal),
        new("KeyUsageQueries.ForKeyAsync", ScopeCatalog.ReadApiKeys, AKey,
            async (s, a, id) => (await Get<KeyUsageQueries>(s).ForKeyAsync(a, id, 30)).Refusal),
        new("KeyUsageQueries.AllKeysAsync", ScopeCatalog.ReadApiKeys, Nothing,
            async (s, a, _) => (await Get<KeyUsageQueries>(s).AllKeysAsync(a, 30)).Refusal),
        new("KeyReview.CardsAsync", ScopeCatalog.ReadApiKeys, Nothing,
            async (s, a, _) => (await Get<KeyReview>(s).CardsAsync(a)).Refusal),
        new("StaffQueries.GetAsync", ScopeCatalog.ReadUsers, AStaffMember(),
            async (s, a, id) => (await Get<StaffQueries>(s).GetAsync(a, id)).Refusal),
        new("StaffQueries.SearchAsync", ScopeCatalog.ReadUsers, Nothing,
            async (s, a, _) => (await Get<StaffQueries>(s).SearchAsync(a, new())).Refusal),
        new("StaffQueries.OfferedAsync", ScopeCatalog.ReadUsers, Nothing,
            async (s, a, _) => (await Get<StaffQueries>(s).OfferedAsync(a, [])).Refusal),
        new("StaffQueries.RolesAsync", ScopeCatalog.ReadUsers, Nothing,
            async (s, a, _) => (await Get<StaffQueries>(s).RolesAsync(a)).Refusal),
        new("AuditQueries.ForTargetAsync", ScopeCatalog.ReadAudit, AKey,
            async (s, a, id) => (await Get<AuditQueries>(s).ForTargetAsync(a, AuditTargets.Key, id, 10)).Refusal),
        new("AuditQueries.SearchAsync", ScopeCatalog.ReadAudit, Nothing,
            async (s, a, _) => (await Get<AuditQueries>(s).SearchAsync(a, new())).Refusal),
        new("WebhookSecrets.RevealAsync", ScopeCatalog.WriteWebhooks, Nothing,
            async (s, a, _) => (await Get<WebhookSecrets>(s).RevealAsync(a)).Refusal),
        new("WebhookSecrets.RotateAsync", ScopeCatalog.WriteWebhooks, Nothing,
            async (s, a, _) => (await Get<WebhookSecrets>(s).RotateAsync(a)).Refusal),
        new("WebhookEndpointService.ListAsync", ScopeCatalog.ReadWebhooks, Nothing,
            async (s, a, _) => (await Get<WebhookEndpointService>(s).ListAsync(a)).Refusal),
        new("WebhookEndpointService.GetAsync", ScopeCatalog.ReadWebhooks, AnEndpoint,
            async (s, a, id) => (await Get<WebhookEndpointService>(s).GetAsync(a, id)).Refusal),
        new("WebhookEndpointService.CreateAsync", ScopeCatalog.WriteWebhooks, Nothing, async (s, a, _) =>
            (await Get<WebhookEndpointService>(s).CreateAsync(a,
                new(PortalFactory.UnansweredWebhookUrl, null, ["api_key.revoked"]))).Refusal),
        new("WebhookEndpointService.UpdateAsync", ScopeCatalog.WriteWebhooks, AnEndpoint, async (s, a, id) =>
            (await Get<WebhookEndpointService>(s).UpdateAsync(a, id, new(null, "Changed", null, false))).Refusal),
        new("WebhookEndpointService.DeleteAsync", ScopeCatalog.WriteWebhooks, AnEndpoint,
            async (s, a, id) => (await Get<WebhookEndpointService>(s).DeleteAsync(a, id)).Refusal),
        new("WebhookEndpointService.SendTestAsync", ScopeCatalog.WriteWebhooks, AnEndpoint,
            async (s, a, id) => (await Get<WebhookEndpointService>(s).SendTestAsync(a, id)).Refusal),
        new("WebhookEndpointService.DeliveriesAsync", ScopeCatalog.ReadWebhooks, AnEndpoint,
            async (s, a, id) => (await Get<WebhookEndpointService>(s).DeliveriesAsync(a, id)).Refusal),
        new("WebhookEndpointService.RetryAsync", ScopeCatalog.WriteWebhooks, ADelivery, async (s, a, ids) =>
            (await Get<WebhookEndpointService>(s).RetryAsync(a, ids.Split('/')[0],
                long.Parse(ids.Split('/')[1]))).Refusal),
        new("AuditQueries.StreamAsync", ScopeCatalog.DownloadAudit, Nothing,
            async (s, a, _) => (await Get<AuditQueries>(s).StreamAsync(a, new())).Refusal),
        new("StaffStanding.ArchiveAsync", ScopeCatalog.WriteUserArchive, AStaffMember(),
            async (s, a, id) => (await Get<StaffStanding>(s).ArchiveAsync(id, a)).Refusal),
        new("StaffStanding.UnarchiveAsync", ScopeCatalog.WriteUserArchive, AStaffMember(StaffStatus.Archived),
            async (s, a, id) => (await Get<StaffStanding>(s).UnarchiveAsync(id, a)).Refusal),
        new("StaffStanding.BlockAsync", ScopeCatalog.WriteUserBlocks, AStaffMember(),
            async (s, a, id) => (await Get<StaffStanding>(s).BlockAsync(id, a)).Refusal),
        new("StaffStanding.UnblockAsync", ScopeCatalog.WriteUserBlocks, AStaffMember(StaffStatus.Blocked),
            async (s, a, id) => (await Get<StaffStanding>(s).UnblockAsync(id, a)).Refusal),
        new("StaffStanding.ResetMfaAsync", ScopeCatalog.WriteUserMfa, AStaffMember(),
            async (s, a, id) => (await Get<StaffStanding>(s).ResetMfaAsync(id, a)).Refusal),
        // Roles given away hold only the row's own permission: a key gives no more than its scopes (P-06).
        new("StaffInvites.InviteAsync", ScopeCatalog.WriteInvites, async f =>
            {
                await f.RoleAsync(OnlyInvites, ScopeCatalog.WriteInvites);
                return $"invitee-{Guid.NewGuid():N}@example.com";
            },
            async (s, a, email) => (await Get<StaffInvites>(s).InviteAsync(email, "Invitee", [OnlyInvites],
                a)).Refusal),
        new("StaffInvites.ResetPasswordAsync", ScopeCatalog.WriteUserPasswords, AStaffMember(),
            async (s, a, id) => (await Get<StaffInvites>(s).ResetPasswordAsync(id, a)).Refusal),
        new("StaffRoles.SetRolesAsync", ScopeCatalog.WriteRoles, async f =>
            {
                await f.RoleAsync(OnlyRoles, ScopeCatalog.WriteRoles);
                return await AStaffMember()(f);
            },
            async (s, a, id) => (await Get<StaffRoles>(s).SetRolesAsync(id, [OnlyRoles], a)).Refusal),
        new("StaffRoles.SaveRoleAsync", ScopeCatalog.WriteRoles, _ => Task.FromResult($"Role {Guid.NewGuid():N}"[..20]),
            async (s, a, name) => (await Get<StaffRoles>(s).SaveRoleAsync(name, null, [ScopeCatalog.WriteRoles],
                a)).Refusal),
        new("StaffRoles.DeleteRoleAsync", ScopeCatalog.WriteRoles, async f =>
            {
                var name = $"Doomed {Guid.NewGuid():N}"[..20];
                await f.RoleAsync(name, ScopeCatalog.WriteRoles);
                return name;
            },
            async (s, a, name) => (await Get<StaffRoles>(s).DeleteRoleAsync(name, a)).Refusal),
        new("StaffService.CreateAsync", SystemOnly, _ => Task.FromResult($"made-{Guid.NewGuid():N}@example.com"),
            async (s, a, email) => (await Get<StaffService>(s).CreateAsync(email, "Made directly",
                StaffRoleNames.ReadOnly, a)).Refusal),
        new("SigningKeyStore.RotateAsync", SystemOnly, Nothing,
            async (s, a, _) => (await Get<SigningKeyStore>(s).RotateAsync(Get<UnitOfWork>(s), a)).Refusal),
        new("StaffStanding.SignOutEverywhereAsync", SelfOnly, Nothing,
            async (s, a, _) => (await Get<StaffStanding>(s).SignOutEverywhereAsync(a)).Refusal),
        new("StaffMfa.EnrolmentAsync", SelfOnly, Nothing,
            async (s, a, _) => (await Get<StaffMfa>(s).EnrolmentAsync(a)).Refusal),
        new("StaffMfa.EnableAsync", SelfOnly, Nothing, async (s, a, _) =>
        {
            var mfa = Get<StaffMfa>(s);
            var enrolment = await mfa.EnrolmentAsync(a);
            var code = enrolment.Value?.SharedKey is { } key ? Totp.Code(key,
                s.GetRequiredService<TimeProvider>().GetUtcNow()) : "000000";
            return (await mfa.EnableAsync(a, code)).Refusal;
        }),
    ];

    /// <summary>
    /// Methods of those services that act for no actor: a credential is the authority, or they give nothing out.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> WithoutActor = new Dictionary<string, string>
    {
        ["StaffInvites.FindLinkHolderAsync"] = "the invite or reset link is the credential",
        ["StaffInvites.SetPasswordAsync"] = "the invite or reset link is the credential",
        ["StaffService.CreateSetupTokenAsync"] = "for the server at start and the admin CLI only, until an Owner " +
        "exists",
        ["StaffService.IsSetupTokenValidAsync"] = "the setup link is the credential",
        ["StaffService.CompleteSetupAsync"] = "the setup link is the credential",
        ["StaffService.AnyOwnerAsync"] = "whether set-up is done: shown to anyone on the home page",
        ["RevokedAccessTokens.RevokeAsync"] = "the client authenticated with the key its token was issued to (RFC " +
        "7009)",
        ["RevokedAccessTokens.IsRevoked"] = "a lookup for the token validator: the token is the credential",
        ["RevokedAccessTokens.CatchUpAsync"] = "the change feed loading what changed, for no one",
        ["SigningKeyStore.CatchUpAsync"] = "the change feed loading what changed, for no one",
        ["SigningKeyStore.EnsureAsync"] = "the server at start, before any request: makes the first key as the system",
        ["ApiKeyService.RevokeLeakedAsync"] = "the leaked key itself is the credential: whoever holds it could use it " +
        "" +
        "anyway (S-03, S-04)",
    };

    public static TheoryData<string> Methods => [.. Rows.Select(r => r.Method)];

    [Theory, MemberData(nameof(Methods))]
    public async Task An_actor_without_the_permission_now_is_refused_and_nothing_is_written(string method)
    {
        var row = Rows.Single(r => r.Method == method);
        foreach (var (who, actor) in await RefusedActorsAsync(row))
        {
            var target = await row.Arrange(factory);
            var before = await FingerprintAsync();

            var refusal = await factory.WithScopeAsync(s => row.Act(s, actor, target));

            refusal.Should().NotBeNull($"{who} must be refused");
            refusal!.Kind.Should().Be(RefusalKind.Forbidden, who);
            (await FingerprintAsync()).Should().Be(before, $"nothing is written for {who}");
        }
    }

    [Theory, MemberData(nameof(Methods))]
    public async Task An_actor_holding_the_permission_succeeds(string method)
    {
        var row = Rows.Single(r => r.Method == method);
        var count = (await AllowedActorsAsync(row)).Count;
        for (var i = 0; i < count; i++)
        {
            // Fresh actors each time: a success (Revoke all, say) may end what an earlier list of actors held.
            var (who, actor) = (await AllowedActorsAsync(row))[i];
            var target = await row.Arrange(factory);

            var refusal = await factory.WithScopeAsync(s => row.Act(s, actor, target));

            refusal.Should().BeNull($"{who} may do this ({refusal?.Message})");
        }
    }

    [Fact]
    public void Every_service_method_that_takes_an_actor_has_a_row()
    {
        // Every folder below the screens, the API and the CLI, which only call these.
        string[] callers = ["DiversitySync.Portal.Api", "DiversitySync.Portal.Components", "DiversitySync.Portal.Cli"];
        var services = typeof(Actor).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("DiversitySync.Portal", StringComparison.Ordinal) == true
                && !callers.Any(c => t.Namespace.StartsWith(c, StringComparison.Ordinal)))
            // The check itself and the write path that runs it; records are data, not services.
            .Where(t => t != typeof(ActorAccess) && t != typeof(UnitOfWork) && t.GetMethod("<Clone>$") is null)
            .Where(t => PublicMethods(t).Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(Actor))));
        var methods = services.SelectMany(t => PublicMethods(t).Select(m => $"{t.Name}.{m.Name}")).Distinct().ToList();

        methods.Except(Rows.Select(r => r.Method)).Except(WithoutActor.Keys).Should().BeEmpty("each needs a row in " +
            "the matrix");
        Rows.Select(r => r.Method).Except(methods).Should().BeEmpty("a row for a method that no longer exists proves " +
            "nothing");
    }

    private static IEnumerable<MethodInfo> PublicMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName);

    private async Task<List<(string Who, Actor Actor)>> RefusedActorsAsync(Row row)
    {
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        var blocked = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.ChangeStaffAsync(blocked, StaffStatus.Blocked);
        var archived = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.ChangeStaffAsync(archived, StaffStatus.Archived);
        var revoked = await factory.KeyAsync(owner, KeyScopes(row));
        await factory.RevokeAsync(revoked.Key.KeyId);
        List<(string, Actor)> actors =
        [
            ("a blocked Owner", StaffActor(blocked)),
            ("an archived Owner", StaffActor(archived)),
            ("a revoked key", KeyActor(revoked, KeyScopes(row))),
        ];
        if (row.Permission == SelfOnly)
        {
            actors.Add(("a key", KeyActor(await factory.KeyAsync(owner), ScopeCatalog.ReadApiKeys)));
            return actors;
        }
        if (row.Permission == SystemOnly)
        {
            actors.Add(("an Owner", StaffActor(owner)));
            actors.Add(("an Owner's key", KeyActor(await factory.KeyAsync(owner, KeyScopes(row)), KeyScopes(row))));
            return actors;
        }
        var lacking = await LackingRoleAsync(row);
        var without = await factory.StaffAsync(lacking);
        var demoted = await factory.StaffAsync(StaffRoleNames.Owner);
        var demotedKey = await factory.KeyAsync(demoted, row.Permission);
        await factory.ChangeStaffAsync(demoted, role: lacking);
        var narrowToken = await factory.KeyAsync(owner, $"{row.Permission} {OtherScope(row.Permission)}");
        actors.AddRange(
        [
            ("a staff member without it", StaffActor(without)),
            ("a staff member demoted since", StaffActor(demoted)),
            ("a key whose creator was demoted", KeyActor(demotedKey, row.Permission)),
            ("a token without the scope", KeyActor(narrowToken, OtherScope(row.Permission))),
        ]);
        return actors;
    }

    private async Task<List<(string Who, Actor Actor)>> AllowedActorsAsync(Row row)
    {
        if (row.Permission == SystemOnly) return [("the admin CLI", Actor.Cli)];
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        if (row.Permission == SelfOnly) return [("the staff member themselves", StaffActor(owner))];
        return
        [
            ("an Owner", StaffActor(owner)),
            ("an Owner's key with the scope", KeyActor(await factory.KeyAsync(owner, row.Permission), row.Permission)),
            ("the admin CLI", Actor.Cli),
        ];
    }

    /// <summary>
    /// A custom role with every built-in permission but the one the row needs (or all of them, for Owner-only rows).
    /// </summary>
    private async Task<string> LackingRoleAsync(Row row)
    {
        var name = row.OwnerOnly ? "Everything but Owner" : $"All but {row.Permission}";
        var permissions = ScopeCatalog.BuiltIn.Select(s => s.Name).Where(p => row.OwnerOnly || p != row.Permission);
        await factory.RoleAsync(name, string.Join(' ', permissions));
        return name;
    }

    private static string KeyScopes(Row row) =>
        row.Permission is SystemOnly or SelfOnly ? ScopeCatalog.ReadApiKeys : row.Permission;

    private static string OtherScope(string permission) =>
        permission == ScopeCatalog.ReadApiKeys ? ScopeCatalog.ReadUsers : ScopeCatalog.ReadApiKeys;

    private static Actor StaffActor(StaffMember staff) => Actor.Staff(staff.Id, staff.DisplayName);

    private static Actor KeyActor(NewApiKey key, string tokenScopes) =>
        Actor.Key(key.Key.KeyId, key.Key.Name, tokenScopes.Split(' ').ToHashSet(StringComparer.Ordinal));

    /// <summary>Everything a refused call could have written.</summary>
    private Task<string> FingerprintAsync() => factory.WithScopeAsync(async s =>
    {
        await s.GetRequiredService<AuditQueue>().FlushAsync();
        var db = s.GetRequiredService<PortalDbContext>();
        var staff = await db.Users.OrderBy(u => u.Id)
            .Select(u => $"{u.Status}/{u.SecurityStamp}/{u.TwoFactorEnabled}/{u.PasswordHash}").ToListAsync();
        return string.Join(" | ",
            await db.ApiKeys.CountAsync(), await db.ApiKeys.CountAsync(k => k.RevokedAt == null),
            await db.AuditEvents.CountAsync(),
            string.Join(",", staff), await db.Roles.CountAsync(), await db.UserRoles.CountAsync(),
            await db.StaffLinks.CountAsync(),
            await db.CurrentRevisionAsync(),
            string.Join(",", await db.WebhookEndpoints.OrderBy(e => e.Id)
                .Select(e => $"{e.Id}/{e.Enabled}/{e.Description}/{e.Url}").ToListAsync()),
            string.Join(",", await db.WebhookMessages.OrderBy(m => m.Id)
                .Select(m => $"{m.Id}/{m.Status}/{m.Attempts}/{m.NextAttemptAt}").ToListAsync()),
            await db.WebhookSecrets.CountAsync(), await db.SigningKeys.CountAsync(k => k.RetiredAt == null));
    });
}

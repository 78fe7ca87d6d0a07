using Microsoft.AspNetCore.Identity;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>Builds test data through the app's own services.</summary>
public static class Seed
{
    private static int sequence;

    public static async Task<StaffMember> StaffAsync(this PortalFactory factory, string role = StaffRole.Owner,
        string? name = null)
    {
        var n = Interlocked.Increment(ref sequence);
        var result = await factory.WithScopeAsync(s => s.GetRequiredService<StaffService>()
            .CreateAsync($"staff{n}@example.com", name ?? $"Staff Member{n}", role, Actor.System));
        return result.Value ?? throw new InvalidOperationException(result.Refusal!.Message);
    }

    public static async Task<NewApiKey> KeyAsync(
        this PortalFactory factory, StaffMember creator, string scopes = ScopeCatalog.ReadApiKeys,
        string environment = "live", DateTime? expiresAt = null, string? name = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? fields = null, IReadOnlyList<string>? allowedIps = null,
        string? description = null)
    {
        var n = Interlocked.Increment(ref sequence);
        var request = new NewApiKeyRequest(name ?? $"Integration {n}", description, environment, scopes.Split(' '),
            expiresAt, fields, allowedIps);
        var result = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(request,
            Actor.System, creator.Id));
        return result.Value ?? throw new InvalidOperationException(result.Refusal!.Message);
    }

    /// <summary>Revokes the key as the system would; the refusal, if any (already revoked, unknown).</summary>
    /// <summary>
    /// A staff member acting in the portal, from the loopback address, as the portal's circuits call the services.
    /// </summary>
    public static Actor ActorOf(StaffMember staff) => Actor.Staff(staff.Id, staff.DisplayName, "127.0.0.1");

    public static async Task<Refusal?> RevokeAsync(this PortalFactory factory, string keyId) =>
        (await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().RevokeAsync(keyId, Actor.System,
            "test"))).Refusal;

    /// <summary>
    /// Changes a staff member's standing the way another process would, bypassing the staff services' rules and cascade
    /// (so a test can have, say, an archived creator whose key was never revoked): in one transaction with a new
    /// revision, after which this instance catches up from the database.
    /// </summary>
    public static Task ChangeStaffAsync(this PortalFactory factory, StaffMember staff, StaffStatus? status = null,
        string? role = null) =>
        factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var users = s.GetRequiredService<UserManager<StaffMember>>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var member = await users.FindByIdAsync(staff.Id)
                ?? throw new InvalidOperationException("no such staff member");
            if (status is { } newStatus)
            {
                member.Status = newStatus;
                await users.UpdateAsync(member);
            }
            if (role is not null)
            {
                await users.RemoveFromRolesAsync(member, await users.GetRolesAsync(member));
                await users.AddToRoleAsync(member, role);
            }
            await db.NextRevisionAsync();
            await transaction.CommitAsync();
            await s.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);
        });

    /// <summary>
    /// A staff member who holds no role and so no permission: whoever may take an account action may take it on them
    /// (a key, too, whatever its scopes).
    /// </summary>
    public static async Task<StaffMember> StaffWithoutRolesAsync(this PortalFactory factory, string? name = null)
    {
        var staff = await factory.StaffAsync(StaffRole.ReadOnly, name);
        await factory.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<StaffMember>>();
            var member = (await users.FindByIdAsync(staff.Id))!;
            await users.RemoveFromRolesAsync(member, await users.GetRolesAsync(member));
        });
        return staff;
    }

    /// <summary>
    /// Every scope of this app's catalog, custom ones included, space-delimited: what an Owner's all-powerful key
    /// holds.
    /// </summary>
    public static string AllScopes(this PortalFactory factory) =>
        string.Join(' ', factory.Services.GetRequiredService<ScopeCatalog>().All.Select(s => s.Name));

    /// <summary>A custom role, saved as the admin CLI would.</summary>
    public static async Task RoleAsync(this PortalFactory factory, string name, string permissions)
    {
        var change = await factory.WithScopeAsync(s => s.GetRequiredService<StaffRoles>().SaveRoleAsync(name, null,
            permissions.Split(' '), Actor.Cli));
        if (change.Refusal is { } refused) throw new InvalidOperationException(refused.Message);
    }

    /// <summary>A staff member's roles and status as stored now.</summary>
    public static Task<(StaffStatus Status, List<string> Roles)> StandingAsync(this PortalFactory factory,
        string staffId) =>
        factory.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<StaffMember>>();
            var member = await users.FindByIdAsync(staffId)
                ?? throw new InvalidOperationException("no such staff member");
            return (member.Status, (await users.GetRolesAsync(member)).Order().ToList());
        });

    public static Task<List<AuditEvent>> AuditAsync(this PortalFactory factory, string action) =>
        factory.WithScopeAsync(async s =>
        {
            await s.GetRequiredService<AuditQueue>().FlushAsync();
            return await s.GetRequiredService<PortalDbContext>().AuditEvents.AsNoTracking()
                .Where(e => e.Action == action).ToListAsync();
        });
}

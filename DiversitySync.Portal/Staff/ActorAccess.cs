using System.Collections.Frozen;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// What an actor may do at this moment.
/// <list type="bullet">
/// <item><see cref="Permissions"/>: what it may use now. A staff member: their roles' permissions. A key: its scopes,
/// cut down to what its creator holds now and to the scopes of the token it called with.</item>
/// <item><see cref="Ceiling"/>: the most it may give or act upon: the permissions of the staff member behind it.
/// A key never lets anyone, its creator included, give more than its creator holds (P-06).</item>
/// </list>
/// </summary>
public sealed record Access(string? StaffId, bool IsOwner, FrozenSet<string> Permissions, FrozenSet<string> Ceiling)
{
    public bool Can(string permission) => Permissions.Contains(permission);

    /// <summary>An API key acting for the staff member <see cref="StaffId"/>, its creator.</summary>
    public bool ThroughKey { get; init; }

    /// <summary>The fields a key is limited to: what it sees, and so what a refusal may tell it (K-08).</summary>
    public KeyFields Fields { get; init; } = KeyFields.Unrestricted;

    /// <summary>
    /// What the actor may act upon in another account or give away in a role: a person's own permissions; a key's
    /// scopes it may use now (its scopes ∩ its creator's permissions ∩ its token's). Whoever holds a key can never
    /// reach past its scopes through someone else's account (P-06).
    /// </summary>
    public FrozenSet<string> Authority => ThroughKey ? Permissions : Ceiling;

    public bool Sees(string resource, string field) => Fields.Allows(resource, field);
}

/// <summary>
/// Reads an actor's current standing from the database, inside the caller's transaction when it has one, so a
/// block, an archive, a revocation or a lost role applies to the very next call, whatever a screen drawn earlier
/// still offers. Null: the actor may do nothing at all any more.
/// </summary>
public sealed class ActorAccess(StaffPermissions permissions, TimeProvider time)
{
    public async Task<Access?> CurrentAsync(PortalDbContext db, Actor actor, CancellationToken cancellationToken = default)
    {
        switch (actor.Type)
        {
            case Actor.SystemType:
                // The admin CLI and the server itself: whoever operates the server is bounded only by the data's own rules.
                var all = permissions.Catalog.All.Select(s => s.Name).ToFrozenSet(StringComparer.Ordinal);
                return new Access(null, IsOwner: true, all, all);
            case Actor.StaffType when actor.Id is { } staffId:
                return await OfStaffAsync(db, staffId, cancellationToken);
            case Actor.KeyType when actor.Id is { } keyId:
                var now = time.GetUtcNow().UtcDateTime;
                var key = await db.ApiKeys.AsNoTracking()
                    .Where(k => k.KeyId == keyId && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now))
                    .Select(k => new { k.CreatedById, k.Scopes, k.Fields })
                    .SingleOrDefaultAsync(cancellationToken);
                if (key is null || await OfStaffAsync(db, key.CreatedById, cancellationToken) is not { } creator) return null;
                var usable = key.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Where(s => creator.Permissions.Contains(s) && (actor.TokenScopes?.Contains(s) ?? true));
                return creator with { Permissions = usable.ToFrozenSet(StringComparer.Ordinal), ThroughKey = true, Fields = KeyFields.FromJson(key.Fields) };
            default:
                return null;
        }
    }

    /// <summary>The actor's access when they may use <paramref name="permission"/> now; otherwise why not.</summary>
    public async Task<Outcome<Access>> RequireAsync(PortalDbContext db, Actor actor, string permission, CancellationToken cancellationToken = default) =>
        await CurrentAsync(db, actor, cancellationToken) switch
        {
            null => Refusal.NoStanding,
            { } access when !access.Can(permission) => Refusal.Lacks(permission),
            { } access => access,
        };

    /// <summary>Null when the actor may use <paramref name="permission"/> now; otherwise why not.</summary>
    public async Task<Refusal?> CheckAsync(PortalDbContext db, Actor actor, string permission, CancellationToken cancellationToken = default) =>
        (await RequireAsync(db, actor, permission, cancellationToken)).Refusal;

    /// <summary>A staff member's access, while they are active: whose permissions bound a key the admin CLI makes for them.</summary>
    internal async Task<Access?> OfStaffAsync(PortalDbContext db, string staffId, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(s => s.Id == staffId && s.Status == StaffStatus.Active, cancellationToken)) return null;
        var grants = await permissions.GrantsOfAsync(db, staffId, cancellationToken);
        return new Access(staffId, grants.Roles.Contains(StaffRole.Owner), grants.Permissions, grants.Permissions);
    }
}

using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data;

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

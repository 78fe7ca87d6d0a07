using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data;

/// <summary>
/// Reads an actor's current standing from the database, inside the caller's transaction when it has one, so a
/// block, an archive, a revocation or a lost role applies to the very next call, whatever a screen drawn earlier
/// still offers; <see cref="AccessRules"/> decides. Null: the actor may do nothing at all any more.
/// </summary>
public sealed class ActorAccess(StaffPermissions permissions, TimeProvider time)
{
    public async Task<Access?> CurrentAsync(PortalDbContext db, Actor actor,
        CancellationToken cancellationToken = default)
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
                var key = await db.ApiKeys.AsNoTracking().Where(k => k.KeyId == keyId)
                    .Select(k => new
                    {
                        k.CreatedById,
                        k.Scopes,
                        k.Fields,
                        k.RevokedAt,
                        k.ExpiresAt,
                        CreatorStatus = (StaffStatus?)k.CreatedBy!.Status
                    })
                    .SingleOrDefaultAsync(cancellationToken);
                if (key is null) return null;
                var judged = AccessRules.Judge(key.RevokedAt, key.ExpiresAt, key.CreatorStatus,
                    time.GetUtcNow().UtcDateTime);
                // The creator's status came with the key: only their roles are read again.
                var creator = judged == KeyRefusal.None
                    ? await OfStaffAsync(db, key.CreatedById, key.CreatorStatus, cancellationToken)
                    : null;
                return AccessRules.OfKey(creator, judged, Scope.SetOf(key.Scopes), actor.TokenScopes,
                    KeyFields.FromJson(key.Fields));
            default:
                return null;
        }
    }

    /// <summary>The actor's access when they may use <paramref name="permission"/> now; otherwise why not.</summary>
    public async Task<Outcome<Access>> RequireAsync(PortalDbContext db, Actor actor, string permission,
        CancellationToken cancellationToken = default) =>
        await CurrentAsync(db, actor, cancellationToken) switch
        {
            null => Refusal.NoStanding,
            { } access when !access.Can(permission) => Refusal.Lacks(permission),
            { } access => access,
        };

    /// <summary>Null when the actor may use <paramref name="permission"/> now; otherwise why not.</summary>
    public async Task<Refusal?> CheckAsync(PortalDbContext db, Actor actor, string permission,
        CancellationToken cancellationToken = default) =>
        (await RequireAsync(db, actor, permission, cancellationToken)).Refusal;

    /// <summary>
    /// A staff member's access, while they are active: whose permissions bound a key the admin CLI makes for them.
    /// </summary>
    public async Task<Access?> OfStaffAsync(PortalDbContext db, string? staffId,
        CancellationToken cancellationToken = default)
    {
        var status = await db.Users.Where(s => s.Id == staffId).Select(s => (StaffStatus?)s.Status)
            .SingleOrDefaultAsync(cancellationToken);
        return await OfStaffAsync(db, staffId, status, cancellationToken);
    }

    /// <summary>The same, for a caller that has just read the staff member's status (null: no such staff member).</summary>
    public async Task<Access?> OfStaffAsync(PortalDbContext db, string? staffId, StaffStatus? status,
        CancellationToken cancellationToken = default)
    {
        // Permissions only for someone who may act: a blocked person's roles are not even read.
        if (staffId is null || status is not { } standing || !AccessRules.MayAct(standing)) return null;
        var grants = await permissions.GrantsOfAsync(db, staffId, cancellationToken);
        return AccessRules.OfStaff(staffId, standing, grants.Roles.Contains(StaffRole.Owner), grants.Permissions);
    }
}

using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data;

public sealed record StaffGrants(FrozenSet<string> Roles, FrozenSet<string> Permissions);

/// <summary>A staff member's permissions: the union of their roles' permissions, read from the database.</summary>
public sealed class StaffPermissions(ScopeCatalog catalog)
{
    public ScopeCatalog Catalog => catalog;

    /// <summary>The staff member's roles and the permissions they add up to, from one query.</summary>
    public async Task<StaffGrants> GrantsOfAsync(PortalDbContext db, string staffId,
        CancellationToken cancellationToken = default)
    {
        var roles = await db.UserRoles.Where(ur => ur.UserId == staffId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r)
            .AsNoTracking().ToListAsync(cancellationToken);
        return new StaffGrants(
            roles.Select(r => r.Name ?? "").ToFrozenSet(StringComparer.Ordinal),
            roles.SelectMany(r => r.PermissionsOf(catalog)).ToFrozenSet(StringComparer.Ordinal));
    }

    public async Task<Dictionary<string, FrozenSet<string>>> OfEveryoneAsync(PortalDbContext db,
        CancellationToken cancellationToken = default)
    {
        var roles = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, cancellationToken);
        var memberships = await db.UserRoles.AsNoTracking().ToListAsync(cancellationToken);
        return memberships.GroupBy(m => m.UserId).ToDictionary(
            g => g.Key,
            g => g.SelectMany(m => roles.TryGetValue(m.RoleId,
                out var role) ? role.PermissionsOf(catalog) : []).ToFrozenSet(StringComparer.Ordinal));
    }
}

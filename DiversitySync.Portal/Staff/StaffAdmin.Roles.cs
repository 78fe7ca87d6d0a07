using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>Custom roles: any set of catalog permissions, under a name. Built-in roles follow the catalog and cannot change.</summary>
public sealed partial class StaffAdmin
{
    public const int RoleNameMaxLength = 50;

    /// <summary>Creates the role, or replaces its description and permissions. Its holders' keys narrow at their next exchange.</summary>
    public async Task<StaffChange> SaveRoleAsync(
        string name, string? description, IReadOnlyCollection<string> rolePermissions, StaffAuthority by, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (name.Length is 0 or > RoleNameMaxLength || name.Any(char.IsControl)) return new(StaffChangeError.Invalid, $"A role name is 1 to {RoleNameMaxLength} characters.");
        if (description?.Length > 200) return new(StaffChangeError.Invalid, "A role description is at most 200 characters.");
        if (StaffRole.BuiltInNames.Contains(name, StringComparer.OrdinalIgnoreCase) || name.Equals("Read-only admin", StringComparison.OrdinalIgnoreCase))
        {
            return Conflict($"{name} is a built-in role: its permissions follow the catalog.");
        }
        if (rolePermissions.Count == 0) return new(StaffChangeError.Invalid, "Choose at least one permission.");
        if (rolePermissions.FirstOrDefault(p => !permissions.Catalog.Contains(p)) is { } unknown) return new(StaffChangeError.Invalid, $"There is no permission named '{unknown}'.");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await AuthorityAsync(by, cancellationToken) is not { } authority) return Forbidden("Your account may no longer make changes.");
        var role = await db.Roles.SingleOrDefaultAsync(r => r.NormalizedName == name.ToUpperInvariant(), cancellationToken);
        var before = role?.PermissionsOf(permissions.Catalog).ToList() ?? [];
        var beyond = rolePermissions.Concat(before).Except(authority.Permissions).Distinct().Order(StringComparer.Ordinal).ToList();
        if (beyond.Count > 0) return Forbidden($"You cannot give or change a role with {string.Join(", ", beyond)}: you do not hold {(beyond.Count == 1 ? "that permission" : "those permissions")}.");

        var ordered = string.Join(' ', permissions.Catalog.Order(rolePermissions));
        if (role is null)
        {
            role = new StaffRole { Name = name, NormalizedName = name.ToUpperInvariant() };
            db.Roles.Add(role);
        }
        role.Description = description;
        role.Permissions = ordered;
        await db.NextRevisionAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        db.Record(by.Actor, before.Count == 0 ? AuditActions.RoleCreated : AuditActions.RoleUpdated, now, AuditTargets.Role, name, ordered);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.CatchUpAsync(cancellationToken);
        return new StaffChange();
    }

    /// <summary>Deletes a custom role nobody holds.</summary>
    public async Task<StaffChange> DeleteRoleAsync(string name, StaffAuthority by, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await AuthorityAsync(by, cancellationToken) is not { } authority) return Forbidden("Your account may no longer make changes.");
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Name == name, cancellationToken);
        if (role is null) return new(StaffChangeError.NotFound, $"There is no role named '{name}'.");
        if (role.IsBuiltIn) return Conflict($"{StaffRole.LabelOf(name)} is a built-in role and cannot be deleted.");
        if (role.PermissionsOf(permissions.Catalog).Any(p => !authority.Permissions.Contains(p))) return Forbidden("You cannot delete a role with permissions you do not hold.");
        var holders = await db.UserRoles.CountAsync(ur => ur.RoleId == role.Id, cancellationToken);
        if (holders > 0) return Conflict($"{holders} staff member(s) hold {name}: change their roles first.");
        db.Roles.Remove(role);
        db.Record(by.Actor, AuditActions.RoleDeleted, time.GetUtcNow().UtcDateTime, AuditTargets.Role, name);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StaffChange();
    }
}

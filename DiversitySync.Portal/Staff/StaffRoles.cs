using Microsoft.EntityFrameworkCore;
using static DiversitySync.Portal.Staff.StaffChangeRunner;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// Roles: who holds which, and custom roles (any set of catalog permissions, under a name). Built-in roles follow
/// the catalog and cannot change. Removing a permission narrows its holders' keys at their next exchange and /v1 call.
/// </summary>
public sealed class StaffRoles(StaffChangeRunner runner)
{
    public const int RoleNameMaxLength = 50;

    /// <summary>Replaces the person's roles.</summary>
    public Task<Outcome<StaffChange>> SetRolesAsync(
        string staffId, IReadOnlyCollection<string> roleNames, Actor actor,
        CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.ChangeRoles, actor, async c =>
        {
            if (await CheckGrantAsync(runner, roleNames, c.Authority, cancellationToken) is { } refused) return refused;
            var current = await runner.Users.GetRolesAsync(c.Target);
            var losesOwner = current.Contains(StaffRole.Owner) && !roleNames.Contains(StaffRole.Owner);
            if (losesOwner && !c.Authority.IsOwner)
            {
                return Refusal.Forbidden("Only an Owner can remove the Owner role.");
            }
            if (losesOwner && await runner.IsLastOwnerAsync(c.Seen, cancellationToken))
            {
                return StaffRules.LastOwner(c.Authority, c.Seen);
            }
            var removed = current.Except(roleNames).ToList();
            var added = roleNames.Except(current).ToList();
            if (removed.Count == 0 && added.Count == 0)
            {
                c.Change.Unchanged();
                return new StaffChange();
            }
            if (Failed(await runner.Users.RemoveFromRolesAsync(c.Target, removed)) is { } failed) return failed;
            if (Failed(await runner.Users.AddToRolesAsync(c.Target, added)) is { } notAdded) return notAdded;
            c.Change.Audit(AuditActions.StaffRolesChanged, AuditTargets.Staff, c.Target.Id,
                $"{Labels(current)} → {Labels(roleNames)}");
            return new StaffChange();
        }, cancellationToken);

    /// <summary>Creates the role, or replaces its description and permissions.</summary>
    public Task<Outcome<StaffChange>> SaveRoleAsync(
        string name, string? description, IReadOnlyCollection<string> rolePermissions, Actor actor,
        CancellationToken cancellationToken = default)
    {
        var (normalised, problem) = IdentityNames.Role(name, RoleNameMaxLength);
        if (normalised is null) return Refused(Refusal.Invalid(problem!));
        name = normalised;
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        var catalog = runner.Permissions.Catalog;
        if (description?.Length > 200) return Refused(Refusal.Invalid("A role description is at most 200 characters."));
        if (StaffRole.BuiltInNames.Contains(name, StringComparer.OrdinalIgnoreCase)
            || name.Equals("Read-only admin", StringComparison.OrdinalIgnoreCase))
        {
            return Refused(Refusal.Conflict($"{name} is a built-in role: its permissions follow the catalog."));
        }
        if (rolePermissions.Count == 0) return Refused(Refusal.Invalid("Choose at least one permission."));
        if (rolePermissions.FirstOrDefault(p => !catalog.Contains(p)) is { } unknown)
        {
            return Refused(Refusal.Invalid($"There is no permission named '{unknown}'."));
        }

        return runner.WithPermissionAsync(actor, ScopeCatalog.WriteRoles, async change =>
        {
            var authority = change.Access;
            var role = await runner.Db.Roles.SingleOrDefaultAsync(r => r.NormalizedName == name.ToUpperInvariant(),
                cancellationToken);
            var before = role?.PermissionsOf(catalog).ToList() ?? [];
            if (StaffRules.Beyond(authority, rolePermissions.Concat(before)) is { } beyond)
            {
                return Refusal.Forbidden($"You cannot give or change a role with {beyond}.");
            }
            var ordered = string.Join(' ', catalog.Order(rolePermissions));
            if (role is null)
            {
                role = new StaffRole { Name = name, NormalizedName = name.ToUpperInvariant() };
                runner.Db.Roles.Add(role);
            }
            role.Description = description;
            role.Permissions = ordered;
            change.Audit(before.Count == 0 ? AuditActions.RoleCreated : AuditActions.RoleUpdated, AuditTargets.Role,
                name, ordered);
            return new StaffChange();
        }, cancellationToken);
    }

    /// <summary>Deletes a custom role nobody holds.</summary>
    public Task<Outcome<StaffChange>> DeleteRoleAsync(string name, Actor actor,
        CancellationToken cancellationToken = default) =>
        runner.WithPermissionAsync(actor, ScopeCatalog.WriteRoles, async change =>
        {
            var authority = change.Access;
            var role = await runner.Db.Roles.SingleOrDefaultAsync(r => r.Name == name, cancellationToken);
            if (role is null) return Refusal.NotFound($"There is no role named '{name}'.");
            if (role.IsBuiltIn)
            {
                return Refusal.Conflict($"{StaffRole.LabelOf(name)} is a built-in role and cannot be deleted.");
            }
            if (role.PermissionsOf(runner.Permissions.Catalog).Any(p => !authority.Authority.Contains(p)))
            {
                return Refusal.Forbidden("You cannot delete a role with permissions you do not hold.");
            }
            var holders = await runner.Db.UserRoles.CountAsync(ur => ur.RoleId == role.Id, cancellationToken);
            if (holders > 0)
            {
                return Refusal.Conflict($"{holders} staff member(s) hold {name}: change their roles first.");
            }
            runner.Db.Roles.Remove(role);
            change.Audit(AuditActions.RoleDeleted, AuditTargets.Role, name);
            return new StaffChange();
        }, cancellationToken);

    /// <summary>
    /// Refuses roles that do not exist, or that the authority may not give (<see cref="StaffRules.CheckGrant"/>).
    /// </summary>
    internal static async Task<Refusal?> CheckGrantAsync(StaffChangeRunner runner,
        IReadOnlyCollection<string> roleNames, Access authority, CancellationToken cancellationToken)
    {
        if (roleNames.Count == 0) return Refusal.Invalid("Choose at least one role.");
        var roles = await runner.Db.Roles.AsNoTracking().Where(r => roleNames.Contains(r.Name!))
            .ToListAsync(cancellationToken);
        if (roleNames.FirstOrDefault(name => roles.All(r => r.Name != name)) is { } unknown)
        {
            return Refusal.Invalid($"There is no role named '{unknown}'.");
        }
        if (roles.FirstOrDefault(r => r.Name == StaffRole.Owner) is { } owner
            && StaffRules.CheckGrant(authority, owner.Name!, []) is { } ownerRefused)
        {
            return ownerRefused;
        }
        return StaffRules.CheckGrant(authority, "", roles.SelectMany(r => r.PermissionsOf(runner.Permissions.Catalog)));
    }

    private static Task<Outcome<StaffChange>> Refused(Refusal refusal) =>
        Task.FromResult<Outcome<StaffChange>>(refusal);

    private static string Labels(IEnumerable<string> roles) =>
        roles.Any() ? string.Join(", ", roles.Order(StringComparer.Ordinal).Select(StaffRole.LabelOf)) : "no roles";
}

using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Staff;

/// <summary>What can be done to a staff member's account.</summary>
public enum StaffAction
{
    ChangeRoles,
    ResetPassword,
    ResetMfa,
    Block,
    Unblock,
    Archive,
    Unarchive,
}

/// <summary>The account an action is aimed at, as the rules need to see it.</summary>
public sealed record StaffTarget(string Id, string DisplayName, StaffStatus Status, bool IsOwner, IReadOnlyCollection<string> Permissions, bool MfaEnabled)
{
    public static StaffTarget Of(StaffView staff) =>
        new(staff.Id, staff.DisplayName, staff.Status, staff.Roles.Contains(StaffRole.Owner), staff.Permissions, staff.MfaEnabled);
}

/// <summary>
/// The rules about who may do what to whose account, in one place: the services enforce them and the screens offer
/// only what they allow.
/// <list type="bullet">
/// <item>nobody acts on a person who holds a permission they do not hold, or on an Owner unless they are one;</item>
/// <item>nobody grants a role whose permissions they do not all hold; only Owners grant or remove Owner;</item>
/// <item>nobody blocks or archives themselves; the state must fit the action (only active staff can be blocked…).</item>
/// </list>
/// The last active Owner is guarded by the services, which can count Owners.
/// </summary>
public static class StaffRules
{
    public static string PermissionFor(StaffAction action) => action switch
    {
        StaffAction.ChangeRoles => ScopeCatalog.WriteRoles,
        StaffAction.ResetPassword => ScopeCatalog.WriteUserPasswords,
        StaffAction.ResetMfa => ScopeCatalog.WriteUserMfa,
        StaffAction.Block or StaffAction.Unblock => ScopeCatalog.WriteUserBlocks,
        _ => ScopeCatalog.WriteUserArchive,
    };

    /// <summary>Why <paramref name="actor"/> may not take <paramref name="action"/> on <paramref name="target"/> now; null: it may.</summary>
    public static Refusal? Check(StaffAction action, Access actor, StaffTarget target) =>
        CheckAuthority(action, actor, target) ?? CheckState(action, actor, target);

    /// <summary>Whether the actor may act on this account at all: the permission, Owners, and what the target holds.</summary>
    internal static Refusal? CheckAuthority(StaffAction action, Access actor, StaffTarget target)
    {
        var permission = PermissionFor(action);
        if (!actor.Can(permission)) return Refusal.Lacks(permission);
        if (target.IsOwner && !actor.IsOwner) return Refusal.Forbidden($"{target.DisplayName} is an Owner: only an Owner can change an Owner's account.");
        if (target.Permissions.Except(actor.Ceiling).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } beyond)
        {
            return Refusal.Forbidden($"{target.DisplayName} holds permissions you do not ({string.Join(", ", beyond)}), so you cannot change their account.");
        }
        return null;
    }

    /// <summary>Whether the account's state fits the action.</summary>
    internal static Refusal? CheckState(StaffAction action, Access actor, StaffTarget target)
    {
        var self = target.Id == actor.StaffId;
        var name = target.DisplayName;
        return (action, target.Status) switch
        {
            (StaffAction.Archive, _) when self => Refusal.Conflict("You cannot archive yourself. Ask another Owner or Admin."),
            (StaffAction.Archive, StaffStatus.Archived) => Refusal.Conflict($"{name} is already archived."),
            (StaffAction.Unarchive, not StaffStatus.Archived) => Refusal.Conflict($"{name} is not archived."),
            (StaffAction.Block, _) when self => Refusal.Conflict("You cannot block yourself."),
            (StaffAction.Block, not StaffStatus.Active) => Refusal.Conflict($"{name} is {target.Status.ToString().ToLowerInvariant()}: only active staff can be blocked."),
            (StaffAction.Unblock, not StaffStatus.Blocked) => Refusal.Conflict($"{name} is not blocked."),
            (StaffAction.ChangeRoles or StaffAction.ResetPassword or StaffAction.ResetMfa, StaffStatus.Archived) =>
                Refusal.Conflict($"{name} is archived: unarchive them first."),
            _ => null,
        };
    }

    /// <summary>The actions a screen offers for this person: the allowed ones, less an MFA reset when there is nothing to reset.</summary>
    public static IReadOnlyList<StaffAction> Offered(Access actor, StaffTarget target) =>
        [.. Enum.GetValues<StaffAction>().Where(a => Check(a, actor, target) is null && (a != StaffAction.ResetMfa || target.MfaEnabled))];

    /// <summary>Why <paramref name="actor"/> may not give a role with these permissions; null: it may.</summary>
    public static Refusal? CheckGrant(Access actor, string roleName, IEnumerable<string> rolePermissions)
    {
        if (roleName == StaffRole.Owner && !actor.IsOwner) return Refusal.Forbidden("Only an Owner can make someone an Owner.");
        return Beyond(actor, rolePermissions) is { } beyond ? Refusal.Forbidden($"You cannot grant {beyond}.") : null;
    }

    /// <summary>"x, y: you do not hold those permissions", for the permissions the actor may not give; null when there are none.</summary>
    public static string? Beyond(Access actor, IEnumerable<string> permissions)
    {
        var beyond = permissions.Except(actor.Ceiling).Distinct().Order(StringComparer.Ordinal).ToList();
        return beyond.Count == 0 ? null : $"{string.Join(", ", beyond)}: you do not hold {(beyond.Count == 1 ? "that permission" : "those permissions")}";
    }
}

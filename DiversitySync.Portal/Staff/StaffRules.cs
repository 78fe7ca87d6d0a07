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
public sealed record StaffTarget(string Id, string DisplayName, StaffStatus Status, bool IsOwner,
    IReadOnlyCollection<string> Permissions, bool MfaEnabled)
{
    public static StaffTarget Of(StaffView staff) =>
        new(staff.Id, staff.DisplayName, staff.Status, staff.Roles.Contains(StaffRole.Owner), staff.Permissions,
            staff.MfaEnabled);
}

/// <summary>
/// The rules about who may do what to whose account, in one place: the services enforce them and the screens offer
/// only what they allow.
/// <list type="bullet">
/// <item>nobody acts on a person who holds a permission they do not hold (a key: a scope it does not hold), or on an
/// Owner unless they are one; a key never acts on its own creator's account;</item>
/// <item>nobody grants a role whose permissions they do not all hold; only Owners grant or remove Owner;</item>
/// <item>nobody blocks or archives themselves; the state must fit the action (only active staff can be
/// blocked…).</item>
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

    /// <summary>
    /// Why <paramref name="actor"/> may not take <paramref name="action"/> on <paramref name="target"/> now; null: it
    /// may.
    /// </summary>
    public static Refusal? Check(StaffAction action, Access actor, StaffTarget target) =>
        CheckAuthority(action, actor, target) ?? CheckState(action, actor, target);

    /// <summary>
    /// Whether the actor may act on this account at all: the permission, Owners, and what the target holds, against
    /// what the actor may act upon (<see cref="Access.Authority"/>: for a key, its own scopes). A key never changes the
    /// account of the person who created it: whoever holds the key would take over that person's standing.
    /// </summary>
    internal static Refusal? CheckAuthority(StaffAction action, Access actor, StaffTarget target)
    {
        var permission = PermissionFor(action);
        if (!actor.Can(permission)) return Refusal.Lacks(permission);
        var shown = new Shown(actor, target);
        if (actor.ThroughKey && target.Id == actor.StaffId)
        {
            return Refusal.Forbidden("A key cannot change the account of the person who created it.");
        }
        if (target.IsOwner && !actor.IsOwner)
        {
            return Refusal.Forbidden(shown.Sees("roles") ? $"{shown.Name} is an Owner: only an Owner can change an " +
                $"Owner's account." : shown.CannotChange);
        }
        if (target.Permissions.Except(actor.Authority).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } beyond)
        {
            var reach = actor.ThroughKey ? "this key does not hold" : "you do not";
            return Refusal.Forbidden(shown.Sees("permissions")
                ? $"{shown.Name} holds permissions {reach} ({string.Join(", ", beyond)}), so you cannot change their " +
                    $"account."
                : shown.CannotChange);
        }
        return null;
    }

    /// <summary>
    /// Whether the account's state fits the action; to a caller that may not see the status, without naming it.
    /// </summary>
    internal static Refusal? CheckState(StaffAction action, Access actor, StaffTarget target)
    {
        var self = target.Id == actor.StaffId && !actor.ThroughKey;
        var shown = new Shown(actor, target);
        var name = shown.Name;
        Refusal Conflict(string message) => Refusal.Conflict(shown.Sees("status") ? message : $"{name}'s account " +
            $"cannot be changed that way now.");
        return (action, target.Status) switch
        {
            (StaffAction.Archive,
                _) when self => Refusal.Conflict("You cannot archive yourself. Ask another Owner or Admin."),
            (StaffAction.Archive, StaffStatus.Archived) => Conflict($"{name} is already archived."),
            (StaffAction.Unarchive, not StaffStatus.Archived) => Conflict($"{name} is not archived."),
            (StaffAction.Block, _) when self => Refusal.Conflict("You cannot block yourself."),
            (StaffAction.Block, not StaffStatus.Active) => Conflict($"{name} is " +
            $"{target.Status.ToString().ToLowerInvariant()}: only active staff can be blocked."),
            (StaffAction.Unblock, not StaffStatus.Blocked) => Conflict($"{name} is not blocked."),
            (StaffAction.ChangeRoles or StaffAction.ResetPassword or StaffAction.ResetMfa, StaffStatus.Archived) =>
                Conflict($"{name} is archived: unarchive them first."),
            _ => null,
        };
    }

    /// <summary>
    /// The refusal for changing the last active Owner, which names the role only to a caller that may see roles.
    /// </summary>
    public static Refusal LastOwner(Access actor, StaffTarget target)
    {
        var shown = new Shown(actor, target);
        return Refusal.Conflict(shown.Sees("roles")
            ? $"{shown.Name} is the last active Owner. Make someone else an Owner first: the organisation must keep " +
                $"one."
            : $"{shown.Name}'s account cannot be changed that way now.");
    }

    /// <summary>
    /// How a refusal may speak of an account to this actor: a key limited to some staff fields is told only those
    /// (K-08), so a refusal never reveals a hidden name, role, permission or status.
    /// </summary>
    private sealed record Shown(Access Actor, StaffTarget Target)
    {
        public bool Sees(string field) => Actor.Sees(ScopeCatalog.Resources.Staff, field);

        public string Name => Sees("name") ? Target.DisplayName : "This staff member";

        public string CannotChange => Sees("name") ? $"You cannot change {Target.DisplayName}'s account." : "You " +
            "cannot change this staff member's account.";
    }

    /// <summary>
    /// The actions a screen offers for this person: the allowed ones, less an MFA reset when there is nothing to reset.
    /// </summary>
    public static IReadOnlyList<StaffAction> Offered(Access actor, StaffTarget target) =>
        [.. Enum.GetValues<StaffAction>().Where(a => Check(a, actor, target) is null
            && (a != StaffAction.ResetMfa || target.MfaEnabled))];

    /// <summary>Why <paramref name="actor"/> may not give a role with these permissions; null: it may.</summary>
    public static Refusal? CheckGrant(Access actor, string roleName, IEnumerable<string> rolePermissions)
    {
        if (roleName == StaffRole.Owner && !actor.IsOwner)
        {
            return Refusal.Forbidden("Only an Owner can make someone an Owner.");
        }
        return Beyond(actor, rolePermissions) is { } beyond ? Refusal.Forbidden($"You cannot grant {beyond}.") : null;
    }

    /// <summary>
    /// "x, y: you do not hold those permissions", for the permissions the actor may not give; null when there are none.
    /// </summary>
    public static string? Beyond(Access actor, IEnumerable<string> permissions)
    {
        var beyond = permissions.Except(actor.Authority).Distinct().Order(StringComparer.Ordinal).ToList();
        var holder = actor.ThroughKey ? "this key does not hold" : "you do not hold";
        return beyond.Count == 0 ? null : $"{string.Join(", ", beyond)}: {holder} " +
            $"{(beyond.Count == 1 ? "that permission" : "those permissions")}";
    }
}

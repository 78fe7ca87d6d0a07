using DiversitySync.Portal.Components.Shared;
using DiversitySync.Portal.Staff;

namespace DiversitySync.Portal.Components.Users;

/// <summary>
/// How the Users page words each action the services offer on a staff member: its menu label, its confirm dialog,
/// what it calls and what it says afterwards. The rules live in the services, which refuse anything not allowed.
/// </summary>
public sealed record StaffActionText(string Code, string Label, string Title, string Confirm, bool Danger)
{
    public static StaffActionText Of(StaffAction action, StaffView staff) => action switch
    {
        StaffAction.ChangeRoles => new("roles", "Change roles…", $"Roles of {staff.DisplayName}", "Save roles", false),
        StaffAction.ResetPassword when staff.Status == StaffStatus.Invited => new("reset-password", "New invite link…",
            "New invite link", "Make a new link", false),
        StaffAction.ResetPassword => new("reset-password", "Reset password…", "Reset password", "Reset password", true),
        StaffAction.ResetMfa => new("reset-mfa", "Reset MFA…", "Reset MFA", "Reset MFA", true),
        StaffAction.Block => new("block", "Block…", "Block user", "Block", true),
        StaffAction.Unblock => new("unblock", "Unblock…", "Unblock user", "Unblock", false),
        StaffAction.Archive => new("archive", "Archive…", "Archive user", "Archive", true),
        _ => new("unarchive", "Unarchive…", "Unarchive user", "Unarchive", false),
    };

    /// <summary>Runs a confirmed action (not ChangeRoles, which has its own dialog) in its own service scope.</summary>
    public static Task<Outcome<StaffChange>> RunAsync(Circuits.PerAction services, StaffAction action, string staffId,
        Actor actor) => action switch
        {
            StaffAction.ResetPassword =>
                services.RunAsync<StaffInvites, Outcome<StaffChange>>(s => s.ResetPasswordAsync(staffId, actor)),
            StaffAction.ResetMfa => services.RunAsync<StaffStanding, Outcome<StaffChange>>(s => s.ResetMfaAsync(staffId,
                actor)),
            StaffAction.Block => services.RunAsync<StaffStanding, Outcome<StaffChange>>(s => s.BlockAsync(staffId,
                actor)),
            StaffAction.Unblock => services.RunAsync<StaffStanding, Outcome<StaffChange>>(s => s.UnblockAsync(staffId,
                actor)),
            StaffAction.Archive => services.RunAsync<StaffStanding, Outcome<StaffChange>>(s => s.ArchiveAsync(staffId,
                actor)),
            StaffAction.Unarchive =>
                services.RunAsync<StaffStanding, Outcome<StaffChange>>(s => s.UnarchiveAsync(staffId,
                actor)),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action,
                "Roles are changed in their own dialog."),
        };

    /// <summary>What the page says once an action is done.</summary>
    public static string Done(StaffAction action, StaffChange change, string name) => action switch
    {
        StaffAction.Archive => $"Archived {name} and revoked {Format.Plural(change.RevokedKeys, "active key")}.",
        StaffAction.Unarchive => $"Unarchived {name}.",
        StaffAction.Block => $"Blocked {name}: they cannot sign in and their keys do not work until unblocked.",
        StaffAction.Unblock => $"Unblocked {name}.",
        StaffAction.ResetMfa => $"Reset MFA for {name}: they sign in with their password and can enrol an " +
        $"authenticator again.",
        StaffAction.ResetPassword when change.Link?.Purpose == StaffLinkPurpose.Invite => $"Made a new invite link " +
        $"for {name}.",
        StaffAction.ResetPassword => $"Reset the password of {name}. They are signed out everywhere.",
        _ => $"Updated the roles of {name}.",
    };
}

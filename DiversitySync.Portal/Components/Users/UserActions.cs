using DiversitySync.Portal.Components.Shared;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DiversitySync.Portal.Components.Users;

/// <summary>One action in a staff member's menu; its confirm dialog has <see cref="DialogId"/>.</summary>
public sealed record UserAction(string Code, string Label, string StaffId, string FallbackUrl, bool Danger = false)
{
    public string DialogId => DialogIdOf(Code, StaffId);

    public static string DialogIdOf(string code, string staffId) => $"user-{code}-{staffId}";
}

/// <summary>
/// The Users page's actions: which ones a viewer is offered for a staff member, and the POST endpoints behind the
/// confirm dialogs (antiforgery, then post/redirect/get with a status message). The rules themselves live in
/// <see cref="StaffAdmin"/>, which refuses a forged form exactly as it refuses a /v1 call.
/// </summary>
public static class UserActions
{
    public static IEndpointRouteBuilder MapUserActions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPortalPost("/admin/users/{id}/roles", SetRolesAsync).RequireAuthorization(StaffPolicies.For(ScopeCatalog.WriteRoles));
        endpoints.MapPortalPost("/admin/users/roles", SaveRoleAsync).RequireAuthorization(StaffPolicies.For(ScopeCatalog.WriteRoles));
        endpoints.MapPortalPost("/admin/users/roles/delete", DeleteRoleAsync).RequireAuthorization(StaffPolicies.For(ScopeCatalog.WriteRoles));
        Map(endpoints, "archive", ScopeCatalog.WriteUserArchive, (a, id, by) => a.ArchiveAsync(id, by),
            (name, change) => $"Archived {name} and revoked {Format.Plural(change.RevokedKeys, "active key")}.");
        Map(endpoints, "unarchive", ScopeCatalog.WriteUserArchive, (a, id, by) => a.UnarchiveAsync(id, by), (name, _) => $"Unarchived {name}.");
        Map(endpoints, "block", ScopeCatalog.WriteUserBlocks, (a, id, by) => a.BlockAsync(id, by),
            (name, _) => $"Blocked {name}: they cannot sign in and their keys do not work until unblocked.");
        Map(endpoints, "unblock", ScopeCatalog.WriteUserBlocks, (a, id, by) => a.UnblockAsync(id, by), (name, _) => $"Unblocked {name}.");
        Map(endpoints, "reset-mfa", ScopeCatalog.WriteUserMfa, (a, id, by) => a.ResetMfaAsync(id, by),
            (name, _) => $"Reset MFA for {name}: they sign in with their password and can enrol an authenticator again.");
        return endpoints;
    }

    /// <summary>What <paramref name="viewer"/> may do to <paramref name="staff"/>, as menu items.</summary>
    public static IReadOnlyList<UserAction> For(StaffView staff, PortalUser viewer, UserListState state)
    {
        var manageable = staff.Permissions.All(viewer.Can) && (viewer.IsOwner || !staff.Roles.Contains(StaffRole.Owner));
        if (!manageable) return [];
        var self = staff.Id == viewer.Id;
        var archived = staff.Status == StaffStatus.Archived;
        var actions = new List<UserAction>();
        void Add(bool allowed, string code, string label, bool danger = false)
        {
            if (allowed) actions.Add(new UserAction(code, label, staff.Id, state.ToUrl(extraName: "confirm", extraValue: $"{code}:{staff.Id}"), danger));
        }
        Add(viewer.Can(ScopeCatalog.WriteRoles) && !archived, "roles", "Change roles…");
        Add(viewer.Can(ScopeCatalog.WriteUserPasswords) && !archived, "reset-password", staff.Status == StaffStatus.Invited ? "New invite link…" : "Reset password…");
        Add(viewer.Can(ScopeCatalog.WriteUserMfa) && !archived && staff.MfaEnabled, "reset-mfa", "Reset MFA…");
        Add(viewer.Can(ScopeCatalog.WriteUserBlocks) && !self && staff.Status == StaffStatus.Active, "block", "Block…", danger: true);
        Add(viewer.Can(ScopeCatalog.WriteUserBlocks) && staff.Status == StaffStatus.Blocked, "unblock", "Unblock…");
        Add(viewer.Can(ScopeCatalog.WriteUserArchive) && !self && !archived, "archive", "Archive…", danger: true);
        Add(viewer.Can(ScopeCatalog.WriteUserArchive) && archived, "unarchive", "Unarchive…");
        return actions;
    }

    private static void Map(
        IEndpointRouteBuilder endpoints, string code, string permission,
        Func<StaffAdmin, string, StaffAuthority, Task<StaffChange>> change, Func<string, StaffChange, string> done) =>
        endpoints.MapPortalPost($"/admin/users/{{id}}/{code}", async (string id, HttpContext http, StaffAdmin admin, StaffQueries queries, [FromForm] string? returnUrl) =>
            await RespondAsync(http, queries, id, returnUrl, () => change(admin, id, AuthorityOf(http)), done))
            .RequireAuthorization(StaffPolicies.For(permission));

    private static async Task<Results<RedirectHttpResult, NotFound>> SetRolesAsync(
        string id, HttpContext http, StaffAdmin admin, StaffQueries queries, [FromForm] string? returnUrl)
    {
        var roles = http.Request.Form["roles"].OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return await RespondAsync(http, queries, id, returnUrl, () => admin.SetRolesAsync(id, roles, AuthorityOf(http)),
            (name, _) => $"Updated the roles of {name}.");
    }

    private static async Task<RedirectHttpResult> SaveRoleAsync(
        HttpContext http, StaffAdmin admin, [FromForm] string? name, [FromForm] string? description, [FromForm] string? returnUrl)
    {
        var permissions = http.Request.Form["permissions"].OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var change = await admin.SaveRoleAsync(name ?? "", description, permissions, AuthorityOf(http));
        return Back(http, returnUrl, change, $"Saved the role {name?.Trim()}.");
    }

    private static async Task<RedirectHttpResult> DeleteRoleAsync(HttpContext http, StaffAdmin admin, [FromForm] string? name, [FromForm] string? returnUrl)
    {
        var change = await admin.DeleteRoleAsync(name ?? "", AuthorityOf(http));
        return Back(http, returnUrl, change, $"Deleted the role {name}.");
    }

    private static RedirectHttpResult Back(HttpContext http, string? returnUrl, StaffChange change, string done)
    {
        (change.Succeeded ? new StatusMessage(done) : new StatusMessage($"Nothing was changed: {change.Message}", IsError: true)).SetOn(http.Response);
        return TypedResults.Redirect(LocalUrl.OrDefault(returnUrl, UserListState.Path));
    }

    private static async Task<Results<RedirectHttpResult, NotFound>> RespondAsync(
        HttpContext http, StaffQueries queries, string id, string? returnUrl, Func<Task<StaffChange>> change, Func<string, StaffChange, string> done)
    {
        if (await queries.GetAsync(id) is not { } staff) return TypedResults.NotFound();
        var result = await change();
        return Back(http, returnUrl, result, done(staff.DisplayName, result));
    }

    private static StaffAuthority AuthorityOf(HttpContext http) => PortalUser.From(http.User)!.ToAuthority(http);
}

using DiversitySync.Portal.Components.Account;
using DiversitySync.Portal.Audit;
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
/// The Users page's actions: the menu items for what the services say a viewer may do to a staff member, and the
/// POST endpoints behind the confirm dialogs (antiforgery, then post/redirect/get with a status message). The rules
/// live in the services, which refuse a forged form exactly as they refuse a /v1 call.
/// </summary>
public static class UserActions
{
    public static IEndpointRouteBuilder MapUserActions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPortalPost("/admin/users/{id}/roles", SetRolesAsync).RequireAuthorization(StaffPolicies.For(ScopeCatalog.WriteRoles));
        endpoints.MapPortalPost("/admin/users/roles", SaveRoleAsync).RequireAuthorization(StaffPolicies.For(ScopeCatalog.WriteRoles));
        endpoints.MapPortalPost("/admin/users/roles/delete", DeleteRoleAsync).RequireAuthorization(StaffPolicies.For(ScopeCatalog.WriteRoles));
        Map(endpoints, "archive", ScopeCatalog.WriteUserArchive, (s, id, actor) => s.ArchiveAsync(id, actor),
            change => $"Archived {change.Staff!.DisplayName} and revoked {Format.Plural(change.RevokedKeys, "active key")}.");
        Map(endpoints, "unarchive", ScopeCatalog.WriteUserArchive, (s, id, actor) => s.UnarchiveAsync(id, actor), change => $"Unarchived {change.Staff!.DisplayName}.");
        Map(endpoints, "block", ScopeCatalog.WriteUserBlocks, (s, id, actor) => s.BlockAsync(id, actor),
            change => $"Blocked {change.Staff!.DisplayName}: they cannot sign in and their keys do not work until unblocked.");
        Map(endpoints, "unblock", ScopeCatalog.WriteUserBlocks, (s, id, actor) => s.UnblockAsync(id, actor), change => $"Unblocked {change.Staff!.DisplayName}.");
        Map(endpoints, "reset-mfa", ScopeCatalog.WriteUserMfa, (s, id, actor) => s.ResetMfaAsync(id, actor),
            change => $"Reset MFA for {change.Staff!.DisplayName}: they sign in with their password and can enrol an authenticator again.");
        return endpoints;
    }

    /// <summary>The menu items for the actions the services offer on <paramref name="staff"/>.</summary>
    public static IReadOnlyList<UserAction> For(StaffView staff, IReadOnlyList<StaffAction> offered, UserListState state) =>
        [.. offered.Select(action =>
        {
            var (code, label, danger) = action switch
            {
                StaffAction.ChangeRoles => ("roles", "Change roles…", false),
                StaffAction.ResetPassword => ("reset-password", staff.Status == StaffStatus.Invited ? "New invite link…" : "Reset password…", false),
                StaffAction.ResetMfa => ("reset-mfa", "Reset MFA…", false),
                StaffAction.Block => ("block", "Block…", true),
                StaffAction.Unblock => ("unblock", "Unblock…", false),
                StaffAction.Archive => ("archive", "Archive…", true),
                _ => ("unarchive", "Unarchive…", false),
            };
            return new UserAction(code, label, staff.Id, state.ToUrl(extraName: "confirm", extraValue: $"{code}:{staff.Id}"), danger);
        })];

    private static void Map(
        IEndpointRouteBuilder endpoints, string code, string permission,
        Func<StaffStanding, string, Actor, Task<StaffChange>> change, Func<StaffChange, string> done) =>
        endpoints.MapPortalPost($"/admin/users/{{id}}/{code}", async (string id, HttpContext http, StaffStanding standing, [FromForm] string? returnUrl) =>
            Respond(http, returnUrl, await change(standing, id, http.StaffActor()), done))
            .RequireAuthorization(StaffPolicies.For(permission));

    private static async Task<Results<RedirectHttpResult, NotFound>> SetRolesAsync(
        string id, HttpContext http, StaffRoles roles, [FromForm] string? returnUrl)
    {
        var names = http.Request.Form["roles"].OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return Respond(http, returnUrl, await roles.SetRolesAsync(id, names, http.StaffActor()), change => $"Updated the roles of {change.Staff!.DisplayName}.");
    }

    private static async Task<RedirectHttpResult> SaveRoleAsync(
        HttpContext http, StaffRoles roles, [FromForm] string? name, [FromForm] string? description, [FromForm] string? returnUrl)
    {
        var permissions = http.Request.Form["permissions"].OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var change = await roles.SaveRoleAsync(name ?? "", description, permissions, http.StaffActor());
        return Back(http, returnUrl, change, $"Saved the role {name?.Trim()}.");
    }

    private static async Task<RedirectHttpResult> DeleteRoleAsync(HttpContext http, StaffRoles roles, [FromForm] string? name, [FromForm] string? returnUrl)
    {
        var change = await roles.DeleteRoleAsync(name ?? "", http.StaffActor());
        return Back(http, returnUrl, change, $"Deleted the role {name}.");
    }

    private static RedirectHttpResult Back(HttpContext http, string? returnUrl, StaffChange change, string done)
    {
        (change.Refusal is { } refused ? new StatusMessage($"Nothing was changed: {refused.Message}", IsError: true) : new StatusMessage(done)).SetOn(http.Response);
        return TypedResults.Redirect(LocalUrl.OrDefault(returnUrl, UserListState.Path));
    }

    /// <summary>An unknown staff member is a 404, like any unknown address (P-05); anything else goes back with a message.</summary>
    private static Results<RedirectHttpResult, NotFound> Respond(HttpContext http, string? returnUrl, StaffChange change, Func<StaffChange, string> done) =>
        change.Refusal?.Kind == RefusalKind.NotFound
            ? TypedResults.NotFound()
            : Back(http, returnUrl, change, change.Succeeded ? done(change) : "");
}

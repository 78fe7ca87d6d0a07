using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Components.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace DiversitySync.Portal.Components.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder endpoints)
    {
        // POST with antiforgery: no other site can sign people out.
        endpoints.MapPortalPost("/logout", SignOutAsync);
        // The admin area's front door: the first screen this staff member may use.
        endpoints.MapGet("/admin", (HttpContext http) =>
            TypedResults.Redirect(PortalUser.From(http.User) is { } user && Layout.AdminTabs.Screens.FirstOrDefault(s => user.Can(s.Permission)) is { Href: { } href }
                ? href
                : "/access-denied"))
            .RequireAuthorization();
        return endpoints;
    }

    /// <summary>
    /// Cookie sessions live in the browser, so deleting the cookie alone would leave a copied one valid until it
    /// times out: a new security stamp ends every session of this staff member, here and on other devices.
    /// </summary>
    private static async Task<RedirectHttpResult> SignOutAsync(
        HttpContext http, SignInManager<StaffMember> signIn, UserManager<StaffMember> users, PortalDbContext db, AuditQueue audit, TimeProvider time)
    {
        if (PortalUser.From(http.User) is { } user && await users.FindByIdAsync(user.Id) is { } member)
        {
            // A new revision with the new stamp: open circuits of this person, here and on other instances, end too.
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await users.UpdateSecurityStampAsync(member);
                await db.NextRevisionAsync();
                await transaction.CommitAsync();
            }
            audit.Enqueue(AuditLog.Event(http.StaffActor(), AuditActions.SignedOut, time.GetUtcNow().UtcDateTime, AuditTargets.Staff, user.Id));
        }
        await signIn.SignOutAsync();
        new StatusMessage("You have signed out.").SetOn(http.Response);
        return TypedResults.Redirect("/login");
    }
}

using DiversitySync.Portal.Components.Shared;
using DiversitySync.Portal.Staff;
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
            TypedResults.Redirect(PortalUser.From(http.User) is { } user
                && Layout.AdminTabs.Screens.FirstOrDefault(s => user.Can(s.Permission)) is { Href: { } href }
                ? href
                : "/access-denied"))
            .RequireAuthorization();
        return endpoints;
    }

    /// <summary>
    /// Cookie sessions live in the browser, so deleting the cookie alone would leave a copied one valid until it
    /// times out: a new security stamp ends every session of this staff member, here and on other devices.
    /// </summary>
    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext http, SignInManager<StaffMember> signIn,
        StaffStanding standing)
    {
        // Refused only for someone who may no longer act at all: their sessions end on their next request anyway.
        if (PortalUser.From(http.User) is not null) await standing.SignOutEverywhereAsync(http.StaffActor());
        await signIn.SignOutAsync();
        new StatusMessage("You have signed out.").SetOn(http.Response);
        return TypedResults.Redirect("/login");
    }
}

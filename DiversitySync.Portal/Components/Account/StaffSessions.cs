using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Components.Account;

/// <summary>
/// Portal sessions: an Identity cookie hardened per P-03 (<c>__Host-</c>, Secure, HttpOnly,
/// SameSite=Lax, idle and absolute timeouts), re-checked against the database on every request (P-04): Identity's
/// own security-stamp check runs every 30 minutes, far too late for a blocked or archived staff member.
/// </summary>
public static class StaffSessions
{
    public const string CookieName = "__Host-ds-session";
    private const string StartedAtItem = "ds.started";

    public static void Configure(CookieAuthenticationOptions cookie, PortalOptions portal)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax; // Strict would sign people out when they follow a link to the portal
        cookie.Cookie.Path = "/";
        cookie.ExpireTimeSpan = TimeSpan.FromMinutes(portal.SessionIdleMinutes);
        cookie.SlidingExpiration = true;
        cookie.LoginPath = "/login";
        cookie.LogoutPath = "/logout";
        cookie.AccessDeniedPath = "/access-denied";
        cookie.Events.OnSigningIn = context =>
        {
            // A browser-session cookie: nothing survives closing the browser.
            context.Properties.IsPersistent = false;
            context.Properties.Items.TryAdd(StartedAtItem,
                Now(context.HttpContext).ToString("O", CultureInfo.InvariantCulture));
            return Task.CompletedTask;
        };
        cookie.Events.OnValidatePrincipal = ValidateAsync;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.HttpContext.IsWithoutPortalSession())
        {
            context.RejectPrincipal(); // anonymous there; the cookie itself is left alone
            return;
        }
        var services = context.HttpContext.RequestServices;
        var maxAge = TimeSpan.FromHours(services.GetRequiredService<IOptions<PortalOptions>>().Value.SessionMaxHours);
        var started = StartedAt(context.Properties);
        var user = started is not null && Now(context.HttpContext) - started < maxAge
            && context.Principal is { } principal
            ? await LoadAsync(services, principal)
            : null;
        if (user is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        context.ReplacePrincipal(user);
    }

    /// <summary>The principal as of now, or null when the staff member may no longer be signed in.</summary>
    private static async Task<ClaimsPrincipal?> LoadAsync(IServiceProvider services, ClaimsPrincipal principal)
    {
        var current = await CurrentAsync(
            services.GetRequiredService<PortalDbContext>(), services.GetRequiredService<ActorAccess>(),
            principal.FindFirstValue(ClaimTypes.NameIdentifier));
        // A new security stamp (password or MFA reset) ends every existing session.
        if (current is not { } now || now.SecurityStamp != principal.FindFirstValue(PortalUser.SecurityStampClaim))
        {
            return null;
        }
        return now.User.ToPrincipal(now.SecurityStamp ?? "", IdentityConstants.ApplicationScheme);
    }

    /// <summary>
    /// A staff member as the portal sees them now (the access the services would give them) and their security
    /// stamp; null when they may not be signed in at all. What a request's cookie and an open circuit are both checked
    /// against.
    /// </summary>
    internal static async Task<(PortalUser User, string? SecurityStamp)?> CurrentAsync(
        PortalDbContext db, ActorAccess access, string? staffId, CancellationToken cancellationToken = default)
    {
        // One read of the row for both the decision (its status) and what the portal shows.
        var staff = await db.Users.AsNoTracking().Where(s => s.Id == staffId)
            .Select(s => new { s.Id, s.Status, s.DisplayName, s.Email, s.SecurityStamp })
            .SingleOrDefaultAsync(cancellationToken);
        if (staff is null || await access.OfStaffAsync(db, staff.Id, staff.Status, cancellationToken) is not { } now)
        {
            return null;
        }
        return (new PortalUser(staff.Id, staff.DisplayName, staff.Email ?? "", now.Permissions, now.IsOwner),
            staff.SecurityStamp);
    }

    /// <summary>
    /// When the session in this cookie began: the absolute limit counts from here, for requests and circuits alike.
    /// </summary>
    public static DateTimeOffset? StartedAt(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(StartedAtItem, out var value) == true
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind,
            out var at) ? at : null;

    private static DateTimeOffset Now(HttpContext http) =>
        http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
}

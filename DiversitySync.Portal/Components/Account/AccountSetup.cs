using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Components.Account;

/// <summary>
/// Portal sign-in and sessions: Identity's cookies (hardened in <see cref="StaffSessions"/>), the sign-in manager, and
/// one policy per permission.
/// </summary>
public static class AccountSetup
{
    public static IServiceCollection AddPortalSessions(this IServiceCollection services)
    {
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        new IdentityBuilder(typeof(StaffMember), typeof(StaffRole), services).AddSignInManager<StaffSignInManager>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<PortalOptions>>((cookie, portal) => StaffSessions.Configure(cookie, portal.Value));
        // Between the password and the authenticator code: who is signing in, for five minutes.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme).Configure(cookie =>
        {
            cookie.Cookie.Name = "__Host-ds-2fa";
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.Path = "/";
        });
        // One policy per built-in permission; the claims they check are reloaded on every request.
        var policies = services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Owner, p => p.RequireAuthenticatedUser().RequireRole(StaffRole.Owner));
        foreach (var scope in ScopeCatalog.BuiltIn)
        {
            policies.AddPolicy(StaffPolicies.For(scope.Name),
                p => p.RequireAuthenticatedUser().RequireClaim(PortalUser.PermissionClaim, scope.Name));
        }
        services.AddScoped<StaffSignIn>();
        return services;
    }
}

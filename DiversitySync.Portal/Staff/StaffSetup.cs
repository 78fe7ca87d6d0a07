using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Staff;

public static class StaffSetup
{
    public static IHostApplicationBuilder AddStaff(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddIdentityCore<StaffMember>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<StaffRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager<StaffSignInManager>()
            .AddDefaultTokenProviders();
        builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<PortalOptions>>((cookie, portal) => StaffSessions.Configure(cookie, portal.Value));
        // Between the password and the authenticator code: who is signing in, for five minutes.
        builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme).Configure(cookie =>
        {
            cookie.Cookie.Name = "__Host-ds-2fa";
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.Path = "/";
        });
        // One policy per built-in permission; the claims they check are reloaded on every request.
        var policies = builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Owner, p => p.RequireAuthenticatedUser().RequireRole(StaffRole.Owner));
        foreach (var scope in ScopeCatalog.BuiltIn)
        {
            policies.AddPolicy(StaffPolicies.For(scope.Name), p => p.RequireAuthenticatedUser().RequireClaim(PortalUser.PermissionClaim, scope.Name));
        }
        builder.Services.AddScoped<StaffSignIn>();
        builder.Services.AddSingleton<StaffPermissions>();
        builder.Services.AddScoped<StaffService>();
        builder.Services.AddSingleton<ActorAccess>();
        builder.Services.AddScoped<StaffChangeRunner>();
        builder.Services.AddScoped<StaffStanding>();
        builder.Services.AddScoped<StaffInvites>();
        builder.Services.AddScoped<StaffRoles>();
        builder.Services.AddScoped<StaffQueries>();
        builder.Services.AddScoped<StaffMfa>();
        builder.Services.AddHostedService<SetupLinkAnnouncer>();
        return builder;
    }
}

using Microsoft.AspNetCore.Authorization;

namespace DiversitySync.Portal.Components;

public static class PortalSetup
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        // Deny by default: a portal page without [AllowAnonymous] needs a signed-in staff member (checklist J-10).
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaticAssets().AllowAnonymous();
        endpoints.MapRazorComponents<App>();
        return endpoints;
    }
}

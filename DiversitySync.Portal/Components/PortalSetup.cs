namespace DiversitySync.Portal.Components;

public static class PortalSetup
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaticAssets();
        // Deny by default: a page without [AllowAnonymous] needs a signed-in staff member. Scoped to the pages, not
        // a global fallback policy, which would also send /v1's framework-made 404 and 405 answers to a login page.
        endpoints.MapRazorComponents<App>().RequireAuthorization();
        return endpoints;
    }
}

using DiversitySync.Portal.Components.Account;
using DiversitySync.Portal.Components.ApiKeys;
using DiversitySync.Portal.Components.Audit;
using DiversitySync.Portal.Components.Circuits;
using Microsoft.AspNetCore.Components.Server.Circuits;
using MudBlazor.Services;

namespace DiversitySync.Portal.Components;

public static class PortalSetup
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPortalSessions();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddMudServices();
        // One PortalCircuit per circuit, known to OpenCircuits, which the change feed keeps current (P-12).
        builder.Services.AddScoped<PortalCircuit>();
        builder.Services.AddScoped<CircuitHandler, PortalCircuitHandler>();
        builder.Services.AddSingleton<OpenCircuits>();
        builder.Services.AddSingleton<IStoreChangeListener>(services => services.GetRequiredService<OpenCircuits>());
        builder.Services.AddHostedService(services => services.GetRequiredService<OpenCircuits>());
        builder.Services.AddSingleton<PerAction>();
        // A year, not the framework's 30 days (P-07). Sent on HTTPS responses outside Development.
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        // Not __Host-/Always like the session cookie: antiforgery refuses to work at all on plain HTTP then, and
        // `dotnet run` serves http://localhost. The token is worthless without the session it is bound to.
        builder.Services.AddAntiforgery(options => options.Cookie.Name = "ds-antiforgery");
        return builder;
    }

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaticAssets().WithoutPortalSession();
        endpoints.MapAccount();
        endpoints.MapErrorPage();
        endpoints.MapAuditExport();
        endpoints.MapCredentialReport();
        // Deny by default: a page without [AllowAnonymous] needs a signed-in staff member. Scoped to the pages, not
        // a global fallback policy, which would also send /v1's framework-made 404 and 405 answers to a login page.
        // The hub (/_blazor) is among these endpoints: only a signed-in staff member can open a circuit.
        endpoints.MapRazorComponents<App>()
            // Blazor would add a second CSP header (frame-ancestors 'self'); ours already says frame-ancestors 'none' (P-07).
            .AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null)
            .RequireAuthorization();
        return endpoints;
    }
}

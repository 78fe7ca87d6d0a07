using DiversitySync.Portal.Components.Account;
using DiversitySync.Portal.Components.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Components;

public static class PortalSetup
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddSingleton<Shared.OneTimeForms>();
        // A year, not the framework's 30 days (security-checklist P-07). Sent on HTTPS responses outside Development.
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        // Not __Host-/Always like the session cookie: antiforgery refuses to work at all on plain HTTP then, and
        // `dotnet run` serves http://localhost. The token is worthless without the session it is bound to.
        builder.Services.AddAntiforgery(options => options.Cookie.Name = "ds-antiforgery");
        return builder;
    }

    /// <summary>
    /// Errors without a body become the portal's HTML error page; the machine endpoints' become ProblemDetails
    /// (the inner middleware writes first, so the outer one leaves those alone).
    /// </summary>
    public static IApplicationBuilder UseErrorPages(this IApplicationBuilder app)
    {
        // A new scope: the failed request may already have initialised the components' services.
        app.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true);
        app.UseWhen(context => IsMachineEndpoint(context.Request.Path), api => api.UseStatusCodePages());
        app.Use(async (context, next) =>
        {
            await next(context);
            // A page refusing a form (antiforgery) answers an empty text/html 400: let it have the error page too.
            var response = context.Response;
            if (!response.HasStarted && response.StatusCode >= 400 && response.ContentLength is null or 0
                && response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
            {
                response.ContentType = null;
            }
        });
        return app;
    }

    public static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/oauth") || path.StartsWithSegments("/.well-known")
        || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/openapi");

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaticAssets();
        endpoints.MapAccount();
        // Any method: a failed POST is re-executed here as a POST.
        endpoints.Map("/error/{code:int}", (int code, HttpContext http) =>
        {
            // Left by the page that failed; the error page sets it again, and twice is an error.
            http.Response.Headers.Remove("blazor-enhanced-nav");
            return new RazorComponentResult<Pages.ErrorPage>(new { Code = code }) { StatusCode = code is >= 400 and < 600 ? code : 404 };
        });
        endpoints.MapKeyActions();
        // Deny by default: a page without [AllowAnonymous] needs a signed-in staff member. Scoped to the pages, not
        // a global fallback policy, which would also send /v1's framework-made 404 and 405 answers to a login page.
        endpoints.MapRazorComponents<App>().RequireAuthorization();
        return endpoints;
    }
}

using Microsoft.AspNetCore.Antiforgery;

namespace DiversitySync.Portal.Components.Shared;

/// <summary>
/// Portal actions that are not a page's own form (sign out, revoke): POST only (P-02), with a
/// valid antiforgery token (P-01) or a 400 before the handler runs, whether or not the handler reads a form field.
/// </summary>
public static class PortalForms
{
    public static RouteHandlerBuilder MapPortalPost(this IEndpointRouteBuilder endpoints, string pattern,
        Delegate handler) =>
        endpoints.MapPost(pattern, handler)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: true }
                    ? await next(context)
                    : TypedResults.BadRequest());
}

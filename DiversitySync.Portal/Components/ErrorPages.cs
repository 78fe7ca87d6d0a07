using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Components;

/// <summary>
/// Every error status gets an answer in the caller's language: the portal's HTML error page for people, RFC 9457
/// ProblemDetails for /v1, /oauth and the other machine endpoints. Never a blank page, never a stack trace.
/// </summary>
public static class ErrorPages
{
    /// <summary>
    /// Errors without a body become the portal's HTML error page; the machine endpoints' become ProblemDetails
    /// (the inner middleware writes first, so the outer one leaves those alone).
    /// </summary>
    public static IApplicationBuilder UseErrorPages(this IApplicationBuilder app)
    {
        // A new scope: the failed request may already have initialised the components' services.
        app.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true);
        app.UseWhen(context => MachineEndpoints.Contains(context.Request.Path), api => api.UseStatusCodePages());
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

    /// <summary>
    /// Any method: a failed POST is re-executed here as a POST. Not a routed page, so it is never taken for a form
    /// post.
    /// </summary>
    public static IEndpointRouteBuilder MapErrorPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/error/{code:int}", (int code, HttpContext http) =>
        {
            // Left by the page that failed; the error page sets it again, and twice is an error.
            http.Response.Headers.Remove("blazor-enhanced-nav");
            return new RazorComponentResult<Pages.ErrorPage>(new { Code = code }) { StatusCode = code is >= 400 and < 600 ? code : 404 };
        });
        return endpoints;
    }
}

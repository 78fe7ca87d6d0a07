namespace DiversitySync.Portal.Components;

/// <summary>
/// Headers on every response (P-07): a strict CSP (our own scripts only, our own styles plus the inline style
/// attributes MudBlazor sets, no framing, no plugins, no base or form redirection; the circuit's WebSocket is
/// same-origin), nosniff, a same-origin referrer policy, and no-store on pages. No CORS
/// middleware is registered anywhere, so /v1 and /oauth never send Access-Control-Allow-Origin.
/// </summary>
public static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        // Portal pages show who has which keys (and once, a secret): never keep them in a cache, so the back
        // button after signing out, or after the show-once dialog, fetches a fresh page.
        context.Response.OnStarting(() =>
        {
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        return next(context);
    });
}

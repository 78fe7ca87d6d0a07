using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Components.Circuits;

/// <summary>
/// The Blazor hub accepts a WebSocket from any page by itself, and the browser sends the session cookie along:
/// another site could drive a signed-in person's circuit. Requests to /_blazor that carry an Origin other than the
/// portal's own are refused with 403 (P-11). Browsers always send Origin on WebSockets and POSTs; a client without
/// one is not a browser and has no session cookie to borrow.
/// </summary>
public static class HubOrigin
{
    public const string HubPath = "/_blazor";

    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(HubPath)
            && context.Request.Headers.Origin is [{ } origin]
            && !IsOwn(origin, context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }
        return next(context);
    });

    private static bool IsOwn(string origin, HttpContext context)
    {
        var request = context.Request;
        if (string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)) return true;
        var publicUrl = context.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value.PublicUrl;
        return Uri.TryCreate(publicUrl, UriKind.Absolute, out var url)
            && string.Equals(origin, url.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
    }
}

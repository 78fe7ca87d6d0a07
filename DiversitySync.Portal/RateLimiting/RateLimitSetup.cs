using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.RateLimiting;

public static class RateLimitSetup
{
    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart()
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                "RateLimits:KnownProxies must list IP addresses.");
        builder.Services.AddSingleton<RateLimits>();
        // X-Forwarded-For is believed only from the listed proxies: nobody else may choose their own client IP
        // and so escape the per-IP limits (T-08). Without proxies nothing is believed.
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<RateLimitOptions>>((forwarded,
            limits) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in limits.Value.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        });
        return builder;
    }

    /// <summary>
    /// Only with configured proxies: the middleware believes X-Forwarded-For from a connection that has no remote
    /// address at all (a Unix socket, a test server), because its known-proxy check needs an address to check.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.KnownProxies.Count > 0
            ? app.UseForwardedHeaders()
            : app;

    /// <summary>
    /// The client IP the limits and the audit log use: the connection's, or a configured proxy's X-Forwarded-For.
    /// </summary>
    public static string ClientIp(this HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public static void WriteRetryAfter(this HttpResponse response, int seconds)
    {
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

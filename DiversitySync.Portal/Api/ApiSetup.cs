using System.Text.Json;
using System.Text.Json.Serialization;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.RateLimiting;
using DiversitySync.Portal.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using SkipStatusCodePagesAttribute = Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute;

namespace DiversitySync.Portal.Api;

public static class ApiSetup
{
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ScopeForbiddenResultHandler>();
        // Bad input found while binding (unreadable JSON, a number that is not one) reaches ProblemExceptionHandler,
        // which answers 400 with the reason, instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // No request here needs more than a few kilobytes: refuse big bodies before reading them (413).
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options =>
            options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            // A property sent twice is refused, as the token endpoint refuses a repeated parameter: last-one-wins
            // lets a proxy and the app read two different requests.
            options.SerializerOptions.AllowDuplicateProperties = false;
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1")
            .RequireAuthorization(ScopePolicies.BearerOnly)
            .WithMetadata(new SkipStatusCodePagesAttribute())
            .WithoutPortalSession()
            .AddEndpointFilter(LimitPerKey);
        v1.MapMe();
        v1.MapApiKeys();
        v1.MapStaff();
        v1.MapAuditEvents();
        v1.MapWebhooks();
        v1.MapSettings();
        return endpoints;
    }

    /// <summary>
    /// Routing answers a /v1 request with the wrong content type or method with an endpoint of its own (415, 405),
    /// which carries none of /v1's authorization policies: a caller without a valid token would learn which routes
    /// exist and what they accept. Such requests are authenticated first, and refused with the usual 401 challenge
    /// without a valid token. Requests for /v1's own endpoints are left to their policies.
    /// </summary>
    public static IApplicationBuilder UseApiAuthenticationFirst(this IApplicationBuilder app) => app.Use(async (http,
        next) =>
    {
        if (http.Request.Path.StartsWithSegments("/v1") && http.GetEndpoint() is { } endpoint
            && endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is null &&
            !(await http.AuthenticateAsync(AccessTokenEvents.Scheme)).Succeeded)
        {
            await http.ChallengeAsync(AccessTokenEvents.Scheme);
            return;
        }
        await next(http);
    });

    /// <summary>
    /// Per key, after its token has been validated: a forged client_id cannot pick someone else's allowance.
    /// </summary>
    private static async ValueTask<object?> LimitPerKey(EndpointFilterInvocationContext context,
        EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var keyId = http.User.KeyId();
        var wait = http.RequestServices.GetRequiredService<RateLimits>().ApiRequest(keyId, () => AuditLog.Event(
            ApiActor.Of(http), AuditActions.RateLimited,
            http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
            AuditTargets.Key, keyId, "/v1 requests of this key (further refusals this minute not recorded)"));
        if (wait is null)
        {
            // The key's day counters: a /v1 call, and the scope it needed (none for /v1/me).
            http.RequestServices.GetRequiredService<KeyUsageTracker>().Counts.Called(keyId,
                http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
                http.GetEndpoint()?.Metadata.GetMetadata<RequiredScopeMetadata>()?.Scope);
            return await next(context);
        }
        http.Response.WriteRetryAfter(wait.Value);
        return TypedResults.Problem($"Too many requests for this key. Try again in {wait} s.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
    }
}

using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Tokens;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace DiversitySync.Portal.Api;

/// <summary>
/// The caller's token must carry this scope (one claim per scope; AccessTokenEvents split the string).
/// </summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.HasClaim(TokenClaims.Scope, requirement.Scope)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>
/// RFC 6750 §3.1: a 403 for a missing scope says which scope, in WWW-Authenticate and in the ProblemDetails body.
/// The authentication handler cannot know the scope; the authorization result can.
/// </summary>
public sealed class ScopeForbiddenResultHandler(IProblemDetailsService problems, AuditQueue audit,
    TimeProvider time) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
        PolicyAuthorizationResult result)
    {
        var missing = result.Forbidden
            ? result.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault()
            : null;
        if (missing is null)
        {
            await fallback.HandleAsync(next, context, policy, result);
            return;
        }
        audit.Enqueue(AuditLog.Event(ApiActor.Of(context), AuditActions.AuthorizationDenied,
            time.GetUtcNow().UtcDateTime,
            AuditTargets.Key, context.User.KeyId(),
            $"missing {missing.Scope} for {context.Request.Method} {context.Request.Path}"));
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.WWWAuthenticate = $"{AccessTokenEvents.Scheme} error=\"insufficient_scope\", " +
            $"scope=\"{missing.Scope}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Insufficient scope",
                Detail = $"This access token lacks the {missing.Scope} scope.",
                Extensions = { ["requiredScope"] = missing.Scope },
            },
        });
    }
}

public static class ScopePolicies
{
    /// <summary>Bearer tokens only: the portal cookie never authorizes /v1 (J-11).</summary>
    public static AuthorizationPolicy BearerOnly { get; } = new AuthorizationPolicyBuilder(AccessTokenEvents.Scheme)
        .RequireAuthenticatedUser().Build();

    public static TBuilder RequireScope<TBuilder>(this TBuilder builder,
        string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizationPolicyBuilder(AccessTokenEvents.Scheme)
            .RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)).Build())
            .WithMetadata(new RequiredScopeMetadata(scope));
}

/// <summary>Lets tests and the OpenAPI document see which scope guards an endpoint.</summary>
public sealed record RequiredScopeMetadata(string Scope);

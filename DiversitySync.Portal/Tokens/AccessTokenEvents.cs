using System.Security.Claims;
using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// What JwtBearer does not do by itself for /v1. A raw API key is refused with a hint; beyond the token, on every
/// request <see cref="AccessTokenJudge"/> decides whether it may still be used (J-08: a revoke applies to the very
/// next request); the principal carries one claim per scope, cut down to what the key and its creator may still do.
/// Challenges are RFC 6750 with descriptions of our
/// own, never the library's (which echo the expected audience or issuer: L-05), and ProblemDetails bodies.
/// </summary>
public sealed class AccessTokenEvents(
    AccessTokenJudge judge, ChangeFeed changes, KeyNames names, IProblemDetailsService problems) : JwtBearerEvents
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;
    public const string NameClaim = "name";
    private const string ArrivedItem = "ds:token-arrived";
    private const string UnavailableItem = "ds:key-status-unavailable";
    private const string Invalid = "The access token is invalid.";

    public override Task MessageReceived(MessageReceivedContext context)
    {
        context.HttpContext.Items[ArrivedItem] = changes.Now();
        // JwtBearer reads the Authorization header only: never the query string or a form body (RFC 6750 §2.3, J-14).
        var header = context.Request.Headers.Authorization;
        if (header.Count > 1)
        {
            context.Fail("Send one Authorization header.");
        }
        else if (header.ToString() is var value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) &&
                 value["Bearer ".Length..].TrimStart().StartsWith("ds_", StringComparison.Ordinal))
        {
            context.Fail("API keys are not accepted here: exchange the key for an access token at /oauth/token.");
        }
        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var arrived = context.HttpContext.Items[ArrivedItem] as long? ?? changes.Now();
        var verdict = await judge.JudgeAsync((JsonWebToken)context.SecurityToken, arrived,
            context.HttpContext.RequestAborted);
        if (verdict.Standing == AccessTokenStanding.Unavailable)
        {
            context.HttpContext.Items[UnavailableItem] = true;
            context.Fail("Key status unavailable.");
            return;
        }
        if (verdict.Key is not { } key)
        {
            context.Fail("The API key behind this access token is no longer active, or the token was revoked.");
            return;
        }
        if (!key.AllowsFrom(context.HttpContext.Connection.RemoteIpAddress))
        {
            context.Fail("The API key behind this access token may not be used from this address.");
            return;
        }
        var keyId = key.KeyId;
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim("sub", keyId),
                new Claim(TokenClaims.ClientId, keyId),
                new Claim(TokenClaims.Environment, key.Environment.ToCode()),
                new Claim(NameClaim, await names.OfAsync(key, context.HttpContext.RequestAborted)),
                .. verdict.Scopes.Select(s => new Claim(TokenClaims.Scope, s)),
            ],
            Scheme, "sub", null));
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        if (http.Items.ContainsKey(UnavailableItem))
        {
            http.Response.Headers.RetryAfter = "5";
            await WriteProblemAsync(http, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "Key status cannot be checked right now. Try again shortly.");
            return;
        }
        var description = context.AuthenticateFailure switch
        {
            null => null,
            AuthenticationFailureException ours => ours.Message, // set by the events above: our own words
            SecurityTokenExpiredException => "The access token has expired.",
            _ => Invalid,
        };
        // RFC 6750 §3: no error attribute when no token was sent at all.
        http.Response.Headers.WWWAuthenticate = description is null ? Scheme : $"{Scheme} error=\"invalid_token\", " +
            $"error_description=\"{description}\"";
        await WriteProblemAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized",
            description ?? "Send an access token: Authorization: Bearer <token>. Get one from POST /oauth/token.");
    }

    private Task WriteProblemAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}

/// <summary>Reads what <see cref="AccessTokenEvents"/> put on the principal.</summary>
public static class ApiPrincipal
{
    public static string KeyId(this ClaimsPrincipal user) => user.FindFirstValue(TokenClaims.ClientId)!;

    public static string KeyName(this ClaimsPrincipal user) => user.FindFirstValue(AccessTokenEvents.NameClaim)
        ?? user.KeyId();

    public static IReadOnlySet<string> Scopes(this ClaimsPrincipal user) =>
        user.FindAll(TokenClaims.Scope).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}

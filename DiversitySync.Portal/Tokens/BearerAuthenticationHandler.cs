using System.Security.Claims;
using System.Text.Encodings.Web;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// Authenticates /v1 requests by access token, in place of JwtBearer (not on our package mirror; stack-notes.md)
/// with the same validator. Beyond the token itself, on every request the key behind it must still be active
/// and its creator still entitled: a revoke takes effect on the very next request (security-checklist J-08),
/// read from the in-memory <see cref="KeyRegistry"/>, not the database.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TokenValidation validation, AccessTokenCache validated, KeyRegistry registry, KeyAuthenticator keys, ChangeFeed changes, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const int MaxTokenBytes = 8 * 1024;

    private static readonly JsonWebTokenHandler Tokens = new() { MaximumTokenSizeInBytes = MaxTokenBytes, MapInboundClaims = false };
    private string? failure;
    private bool unavailable;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var arrived = changes.Now();
        // Only the Authorization header: never the query string or a form body (RFC 6750 §2.3, J-14).
        var header = Request.Headers.Authorization;
        if (header.Count == 0) return AuthenticateResult.NoResult();
        if (header.Count > 1) return Fail("Send one Authorization header.");
        var value = header.ToString();
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = value["Bearer ".Length..].Trim();
        if (token.Length == 0) return AuthenticateResult.NoResult();
        if (token.StartsWith("ds_", StringComparison.Ordinal)) return Fail("API keys are not accepted here: exchange the key for an access token at /oauth/token.");
        if (token.Length > MaxTokenBytes) return Fail("The access token is invalid.");

        if (validated.Find(token) is not { } claims)
        {
            var result = await Tokens.ValidateTokenAsync(token, validation.Parameters);
            if (!result.IsValid)
            {
                return Fail(result.Exception is SecurityTokenExpiredException ? "The access token has expired." : "The access token is invalid.");
            }
            claims = new ValidatedToken(
                result.ClaimsIdentity.FindFirst(TokenClaims.ClientId)?.Value ?? "",
                (result.ClaimsIdentity.FindFirst(TokenClaims.Scope)?.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
                result.SecurityToken.ValidTo);
            validated.Add(token, claims);
        }

        // Fail closed when key state may be stale (the database could not be read for a while).
        if (!changes.IsFresh)
        {
            unavailable = true;
            return AuthenticateResult.Fail("Key status unavailable");
        }
        var key = await keys.FindKeyAsync(claims.KeyId, arrived, Context.RequestAborted);
        if (key is null || registry.Judge(key, time.GetUtcNow().UtcDateTime, out var creator) != KeyRefusal.None)
        {
            return Fail("The API key behind this access token is no longer active.");
        }

        // The token's scopes, cut down to what the key and its creator may still do (product.md §1).
        var allowed = KeyRegistry.EffectiveScopes(key, creator!);
        var scopes = claims.Scopes.Where(allowed.Contains);
        var identity = new ClaimsIdentity(
            [
                new Claim("sub", key.KeyId),
                new Claim(TokenClaims.ClientId, key.KeyId),
                new Claim(TokenClaims.Environment, key.Environment.ToCode()),
                new Claim(ApiPrincipal.CreatorClaim, key.CreatorId),
                .. scopes.Select(s => new Claim(TokenClaims.Scope, s)),
            ],
            SchemeName, "sub", null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await AuthenticateAsync();
        if (unavailable)
        {
            Response.Headers.RetryAfter = "5";
            await WriteProblemAsync(StatusCodes.Status503ServiceUnavailable, "Service unavailable", "Key status cannot be checked right now. Try again shortly.");
            return;
        }
        // RFC 6750 §3: no error attribute when no token was sent at all.
        Response.Headers.WWWAuthenticate = failure is null
            ? SchemeName
            : $"{SchemeName} error=\"invalid_token\", error_description=\"{failure}\"";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            failure ?? "Send an access token: Authorization: Bearer <token>. Get one from POST /oauth/token.");
    }

    private AuthenticateResult Fail(string description)
    {
        failure = description;
        return AuthenticateResult.Fail(description);
    }

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}

/// <summary>Reads what the bearer handler put on the principal.</summary>
public static class ApiPrincipal
{
    public const string CreatorClaim = "creator";

    public static string KeyId(this ClaimsPrincipal user) => user.FindFirstValue(TokenClaims.ClientId)!;

    public static string CreatorId(this ClaimsPrincipal user) => user.FindFirstValue(CreatorClaim)!;

    public static IReadOnlySet<string> Scopes(this ClaimsPrincipal user) =>
        user.FindAll(TokenClaims.Scope).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}

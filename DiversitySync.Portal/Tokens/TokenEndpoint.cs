using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// POST /oauth/token as a pipeline of named steps over one request: its HTTP shape and the client's key
/// (<see cref="OAuthClientGate"/>) → <see cref="Grant"/> (the scopes asked for, within the key's) →
/// <see cref="Mint"/> (the signed token, its use and audit) → <see cref="Respond"/>. Every answer is a typed result,
/// never cached, and its OpenAPI description comes from this endpoint's metadata.
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/oauth/token";

    /// <summary>How this endpoint's requests are named in audit events.</summary>
    public const string What = "token";

    public sealed record TokenResponse(
        [property: JsonPropertyName("access_token"), Description("An RS256 JWT (typ at+jwt)")] string AccessToken,
        [property: JsonPropertyName("token_type"), Description("Bearer")] string TokenType,
        [property: JsonPropertyName("expires_in"), Description("Seconds: 900")] int ExpiresIn,
        [property: JsonPropertyName("scope"), Description("The scopes granted, space-delimited")] string Scope);

    /// <summary>
    /// What a request may carry, for the OAuth document: the key as a bearer header, a JSON key, or client credentials.
    /// </summary>
    public sealed record TokenRequestFields(
        [property: JsonPropertyName("grant_type"),
            Description("client_credentials: required with client_id/client_secret or HTTP Basic")] string? GrantType,
        [property: JsonPropertyName("client_id"),
            Description("The key id (the 16 hex digits after ds_live_ or ds_test_)")] string? ClientId,
        [property: JsonPropertyName("client_secret"), Description("The API key")] string? ClientSecret,
        [property: JsonPropertyName("key"), Description("The API key, in a JSON body")] string? Key,
        [property: JsonPropertyName("scope"),
            Description("Optional, space-delimited: narrow the token to these scopes")] string? Scope);

    public static async Task<Results<OAuthJsonResult<TokenResponse>, OAuthErrorResult>> HandleAsync(
        HttpContext http, OAuthClientGate gate, TokenIssuer issuer, ScopeCatalog catalog, KeyUsageTracker usage,
        AuditQueue audit)
    {
        var gated = await gate.AuthenticateAsync(http, What, TokenRequestReader.ReadAsync,
            OAuthClientGate.Allowances.Exchange);
        if (gated.Client is not { } client) return gated.Refused!;
        var (scopes, refused) = Grant(client.Request.Scopes, client.Key.Scopes, catalog);
        if (refused is not null)
        {
            usage.Counts.Refused(client.Entry.KeyId, client.Now, ExchangeRefusal.Scope);
            audit.Enqueue(AuditLog.Event(client.Actor, AuditActions.TokenRefused, client.Now, AuditTargets.Key,
                client.Entry.KeyId, "invalid_scope"));
            return new OAuthErrorResult(refused, client.Request.Method);
        }
        return Respond(Mint(client, scopes!, issuer, usage, audit, http.Request.Headers.UserAgent));
    }

    /// <summary>
    /// The scopes to grant: those asked for (or all the key may use now), in the catalog's order; invalid_scope for a
    /// key that may use none, or a scope beyond what it may use (RFC 6749 §3.3).
    /// </summary>
    public static (IReadOnlyList<string>? Scopes, OAuthError? Refused) Grant(
        IReadOnlyList<string> asked, IReadOnlySet<string> usable, ScopeCatalog catalog)
    {
        if (usable.Count == 0)
        {
            return (null, OAuthError.InvalidScope("This key holds no scope that its creator still has."));
        }
        if (asked.FirstOrDefault(s => !usable.Contains(s)) is { } excess)
        {
            return (null, OAuthError.InvalidScope($"This key cannot be given {OAuthError.Printable(excess)}."));
        }
        return (catalog.Order(asked.Count > 0 ? asked : usable), null);
    }

    /// <summary>
    /// Signs the token and records the key's use and the issue, for its last-used time and the audit log.
    /// </summary>
    public static IssuedToken Mint(
        AuthenticatedClient<TokenRequest> client, IReadOnlyList<string> scopes, TokenIssuer issuer,
        KeyUsageTracker usage, AuditQueue audit, string? userAgent)
    {
        var token = issuer.Issue(client.Entry, scopes);
        usage.Counts.Issued(client.Entry.KeyId, client.Now);
        usage.Record(client.Entry.KeyId,
            new KeyUsage(client.Now, client.Actor.ClientIp, KeyUsage.CleanUserAgent(userAgent),
            KeyUsage.TokenExchange));
        audit.Enqueue(AuditLog.Event(client.Actor, AuditActions.TokenIssued, client.Now, AuditTargets.Key,
            client.Entry.KeyId, $"jti {token.Jti}; scope {token.Scope}"));
        return token;
    }

    /// <summary>RFC 6749 §5.1's answer.</summary>
    public static OAuthJsonResult<TokenResponse> Respond(IssuedToken token) =>
        new(new TokenResponse(token.AccessToken, "Bearer", token.ExpiresIn, token.Scope),
            TokenResponseJson.Default.TokenResponse);
}

/// <summary>
/// The success response's serializer, generated at build time: no reflection or options lookup per exchange.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TokenEndpoint.TokenResponse))]
internal sealed partial class TokenResponseJson : JsonSerializerContext;

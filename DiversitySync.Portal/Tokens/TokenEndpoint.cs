using System.Text.Json;
using System.Text.Json.Serialization;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// POST /oauth/token as an explicit sequence: HTTP shape and client authentication (<see cref="OAuthClientGate"/>)
/// → scope → mint → respond. Every answer is no-store.
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/oauth/token";

    public sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("scope")] string Scope);

    /// <summary>How this endpoint's requests are named in audit events.</summary>
    public const string What = "token";

    public static async Task HandleAsync(
        HttpContext http, OAuthClientGate gate, TokenIssuer issuer, ScopeCatalog catalog, KeyUsageTracker usage, AuditQueue audit)
    {
        if (await gate.AuthenticateAsync(http, What, TokenRequestReader.ReadAsync, OAuthClientGate.Allowances.Exchange) is not { } client)
        {
            return;
        }
        var request = client.Request;
        var scopeError = client.Key.Scopes.Count == 0
            ? OAuthError.InvalidScope("This key holds no scope that its creator still has.")
            : request.Scopes.FirstOrDefault(s => !client.Key.Scopes.Contains(s)) is { } excess
                ? OAuthError.InvalidScope($"This key cannot be given {OAuthError.Printable(excess)}.")
                : null;
        if (scopeError is not null)
        {
            audit.Enqueue(AuditLog.Event(client.Actor, AuditActions.TokenRefused, client.Now, AuditTargets.Key, client.Entry.KeyId, "invalid_scope"));
            await OAuthResponses.WriteAsync(http, scopeError, request.Method);
            return;
        }

        var token = issuer.Issue(client.Entry, catalog.Order(request.Scopes.Count > 0 ? request.Scopes : client.Key.Scopes));
        usage.Record(client.Entry.KeyId, new KeyUsage(client.Now, client.Actor.ClientIp, KeyUsage.CleanUserAgent(http.Request.Headers.UserAgent), KeyUsage.TokenExchange));
        audit.Enqueue(AuditLog.Event(client.Actor, AuditActions.TokenIssued, client.Now, AuditTargets.Key, client.Entry.KeyId, $"jti {token.Jti}; scope {token.Scope}"));

        OAuthResponses.NoStore(http.Response);
        await http.Response.WriteAsJsonAsync(
            new TokenResponse(token.AccessToken, "Bearer", token.ExpiresIn, token.Scope), TokenResponseJson.Default.TokenResponse, cancellationToken: http.RequestAborted);
    }
}

/// <summary>The success response's serializer, generated at build time: no reflection or options lookup per exchange.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TokenEndpoint.TokenResponse))]
internal sealed partial class TokenResponseJson : JsonSerializerContext;

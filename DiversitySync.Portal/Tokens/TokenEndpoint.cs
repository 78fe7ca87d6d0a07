using System.Text.Json;
using System.Text.Json.Serialization;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.RateLimiting;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// POST /oauth/token as an explicit sequence: HTTP shape → client authentication → scope →
/// mint → respond. Every answer is no-store. Refusals are audited with their true reason; the client sees one
/// identical invalid_client for all of them.
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/oauth/token";

    public sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("scope")] string Scope);

    public static async Task HandleAsync(
        HttpContext http, KeyAuthenticator authenticator, TokenIssuer issuer, ScopeCatalog catalog,
        KeyUsageTracker usage, AuditQueue audit, ChangeFeed changes, RateLimits limits, TimeProvider time)
    {
        var arrived = changes.Now();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "POST";
            await WriteAsync(http, new OAuthError(StatusCodes.Status405MethodNotAllowed, "invalid_request", "Use POST."));
            return;
        }

        // Per client IP, and refused outright once its failed authentications are used up: before any other work.
        if (limits.TokenRequest(http.ClientIp(), () => AuditLog.Event(
                new Actor(Actor.KeyType, null, "API key", http.ClientIp(), http.TraceIdentifier), AuditActions.RateLimited,
                time.GetUtcNow().UtcDateTime, detail: "token requests from this IP (further refusals this minute not recorded)")) is { } wait)
        {
            await WriteTooManyAsync(http, wait);
            return;
        }

        var read = await TokenRequestReader.ReadAsync(http.Request, http.RequestAborted);
        if (read.Request is not { } request)
        {
            limits.FailedAuthentication(http.ClientIp()); // malformed requests use up the same allowance as wrong keys
            await WriteAsync(http, read.Error!, read.Method);
            return;
        }

        // Fail closed: if key state could not be refreshed lately, a revocation made elsewhere may be unseen.
        if (!changes.IsFresh)
        {
            http.Response.Headers.RetryAfter = "5";
            await WriteAsync(http, OAuthError.Unavailable());
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var actor = ActorOf(http, request);
        var client = await authenticator.AuthenticateAsync(request.Key, request.ClientId, arrived, http.RequestAborted);
        if (!client.Succeeded)
        {
            limits.FailedAuthentication(http.ClientIp());
            audit.Enqueue(AuditLog.Event(actor with { Id = client.KeyId }, AuditActions.TokenRefused, now, AuditTargets.Key, client.KeyId, Reason(client.Refusal)));
            await WriteAsync(http, OAuthError.InvalidClient, request.Method);
            return;
        }

        // Per key, counted only once the key is proven: nobody can use up another key's allowance.
        if (limits.TokenForKey(client.Key!.KeyId, () => AuditLog.Event(actor with { Id = client.KeyId }, AuditActions.RateLimited, now,
                AuditTargets.Key, client.KeyId, "token exchanges of this key (further refusals this minute not recorded)")) is { } keyWait)
        {
            await WriteTooManyAsync(http, keyWait);
            return;
        }

        actor = actor with { Id = client.KeyId, Name = client.Key.Name };
        var scopeError = client.Scopes.Count == 0
            ? OAuthError.InvalidScope("This key holds no scope that its creator still has.")
            : request.Scopes.FirstOrDefault(s => !client.Scopes.Contains(s)) is { } excess
                ? OAuthError.InvalidScope($"This key cannot be given {OAuthError.Printable(excess)}.")
                : null;
        if (scopeError is not null)
        {
            audit.Enqueue(AuditLog.Event(actor, AuditActions.TokenRefused, now, AuditTargets.Key, client.KeyId, "invalid_scope"));
            await WriteAsync(http, scopeError, request.Method);
            return;
        }

        var token = issuer.Issue(client.Key, catalog.Order(request.Scopes.Count > 0 ? request.Scopes : client.Scopes));
        usage.Record(client.Key.KeyId, new KeyUsage(now, actor.ClientIp, KeyUsage.CleanUserAgent(http.Request.Headers.UserAgent), KeyUsage.TokenExchange));
        audit.Enqueue(AuditLog.Event(actor, AuditActions.TokenIssued, now, AuditTargets.Key, client.KeyId, $"jti {token.Jti}; scope {token.Scope}"));

        NoStore(http.Response);
        await http.Response.WriteAsJsonAsync(
            new TokenResponse(token.AccessToken, "Bearer", token.ExpiresIn, token.Scope), TokenResponseJson.Default.TokenResponse, cancellationToken: http.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext http, OAuthError error, ClientAuthMethod method = ClientAuthMethod.None)
    {
        http.Response.StatusCode = error.Status;
        if (error.Status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = OAuthError.ChallengeFor(method);
        NoStore(http.Response);
        await http.Response.WriteAsJsonAsync(error, http.RequestAborted);
    }

    private static Task WriteTooManyAsync(HttpContext http, int retryAfterSeconds)
    {
        http.Response.WriteRetryAfter(retryAfterSeconds);
        return WriteAsync(http, OAuthError.TooManyRequests(retryAfterSeconds));
    }

    /// <summary>RFC 6749 §5.1: responses carrying or refusing credentials are never cached.</summary>
    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    private static Actor ActorOf(HttpContext http, TokenRequest request) =>
        new(Actor.KeyType, null, $"API key ({request.Method})", http.ClientIp(), http.TraceIdentifier);

    private static string Reason(KeyRefusal refusal) => refusal switch
    {
        KeyRefusal.MalformedKey => "malformed key",
        KeyRefusal.ClientIdMismatch => "client_id does not match the key",
        KeyRefusal.UnknownKey => "unknown key id",
        KeyRefusal.WrongSecret => "wrong secret",
        KeyRefusal.Revoked => "key revoked",
        KeyRefusal.Expired => "key expired",
        KeyRefusal.CreatorArchived => "creator archived",
        _ => "creator not active",
    };
}

/// <summary>The success response's serializer, generated at build time: no reflection or options lookup per exchange.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TokenEndpoint.TokenResponse))]
internal sealed partial class TokenResponseJson : JsonSerializerContext;

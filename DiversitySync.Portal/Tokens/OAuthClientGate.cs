using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.RateLimiting;

namespace DiversitySync.Portal.Tokens;

/// <summary>A request that names a client and its key, in one of the token endpoint's client forms.</summary>
public interface IClientRequest
{
    ClientAuthMethod Method { get; }
    string Key { get; }
    string? ClientId { get; }
}

/// <summary>The outcome of reading a client's request: a request of the right shape, or the error to answer with.</summary>
public sealed record ClientRequestRead<T>(T? Request, OAuthError? Error, ClientAuthMethod Method) where T : class, IClientRequest;

/// <summary>A client whose key was proven and is usable now, with what it asked for.</summary>
public sealed record AuthenticatedClient<T>(T Request, KeyAuthentication Key, Actor Actor, DateTime Now) where T : class, IClientRequest
{
    public KeyEntry Entry => Key.Key!;
}

/// <summary>
/// The steps every endpoint a client authenticates to with its key shares (token, introspection, revocation):
/// POST only → the per-IP allowance → the request's shape → fresh key state → the key itself → the per-key
/// allowance. Each refusal is written here as an RFC 6749 error with no-store; the endpoint gets a proven client or
/// nothing more to do. Failed authentications are audited with their true reason; the client sees one identical
/// invalid_client for all of them (K-05).
/// </summary>
public sealed class OAuthClientGate(KeyAuthenticator authenticator, AuditQueue audit, ChangeFeed changes, RateLimits limits, TimeProvider time)
{
    /// <summary>Which allowances apply: per IP before any work, per key once the key is proven. Each gives the seconds to wait, or null.</summary>
    public sealed record Allowances(Func<RateLimits, string, Func<AuditEvent>, int?> PerIp, Func<RateLimits, string, Func<AuditEvent>, int?> PerKey)
    {
        /// <summary>Token exchanges: every request counts per IP, and per key as an exchange.</summary>
        public static readonly Allowances Exchange = new((l, ip, r) => l.TokenRequest(ip, r), (l, key, r) => l.TokenForKey(key, r));

        /// <summary>
        /// Introspection and revocation, which a resource server may call for every request it serves: per IP only
        /// failed authentications count; per key they count as API calls.
        /// </summary>
        public static readonly Allowances ApiCall = new((l, ip, r) => l.ClientRequest(ip, r), (l, key, r) => l.ApiRequest(key, r));
    }

    public async Task<AuthenticatedClient<T>?> AuthenticateAsync<T>(
        HttpContext http, string what, Func<HttpRequest, CancellationToken, Task<ClientRequestRead<T>>> read, Allowances allowances)
        where T : class, IClientRequest
    {
        var arrived = changes.Now();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "POST";
            await OAuthResponses.WriteAsync(http, new OAuthError(StatusCodes.Status405MethodNotAllowed, "invalid_request", "Use POST."));
            return null;
        }

        // Per client IP, and refused outright once its failed authentications are used up: before any other work.
        if (allowances.PerIp(limits, http.ClientIp(), () => AuditLog.Event(
                new Actor(Actor.KeyType, null, "API key", http.ClientIp(), http.TraceIdentifier), AuditActions.RateLimited,
                time.GetUtcNow().UtcDateTime, detail: $"{what} requests from this IP (further refusals this minute not recorded)")) is { } wait)
        {
            await OAuthResponses.WriteTooManyAsync(http, wait);
            return null;
        }

        var shaped = await read(http.Request, http.RequestAborted);
        if (shaped.Request is not { } request)
        {
            limits.FailedAuthentication(http.ClientIp()); // malformed requests use up the same allowance as wrong keys
            await OAuthResponses.WriteAsync(http, shaped.Error!, shaped.Method);
            return null;
        }

        // Fail closed: if key state could not be refreshed lately, a revocation made elsewhere may be unseen.
        if (!changes.IsFresh)
        {
            http.Response.Headers.RetryAfter = "5";
            await OAuthResponses.WriteAsync(http, OAuthError.Unavailable());
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var actor = new Actor(Actor.KeyType, null, $"API key ({request.Method})", http.ClientIp(), http.TraceIdentifier);
        var client = await authenticator.AuthenticateAsync(request.Key, request.ClientId, arrived, http.RequestAborted);
        if (!client.Succeeded)
        {
            limits.FailedAuthentication(http.ClientIp());
            audit.Enqueue(AuditLog.Event(actor with { Id = client.KeyId }, AuditActions.TokenRefused, now, AuditTargets.Key, client.KeyId,
                what == TokenEndpoint.What ? Reason(client.Refusal) : $"{what}: {Reason(client.Refusal)}"));
            await OAuthResponses.WriteAsync(http, OAuthError.InvalidClient, request.Method);
            return null;
        }

        // Per key, counted only once the key is proven: nobody can use up another key's allowance.
        if (allowances.PerKey(limits, client.Key!.KeyId, () => AuditLog.Event(actor with { Id = client.KeyId }, AuditActions.RateLimited, now,
                AuditTargets.Key, client.KeyId, $"{what} requests of this key (further refusals this minute not recorded)")) is { } keyWait)
        {
            await OAuthResponses.WriteTooManyAsync(http, keyWait);
            return null;
        }
        return new AuthenticatedClient<T>(request, client, actor with { Id = client.KeyId, Name = client.Key.Name }, now);
    }

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

/// <summary>How the OAuth endpoints answer: RFC 6749 §5.1–5.2, never cached.</summary>
public static class OAuthResponses
{
    public static async Task WriteAsync(HttpContext http, OAuthError error, ClientAuthMethod method = ClientAuthMethod.None)
    {
        http.Response.StatusCode = error.Status;
        if (error.Status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = OAuthError.ChallengeFor(method);
        NoStore(http.Response);
        await http.Response.WriteAsJsonAsync(error, http.RequestAborted);
    }

    public static Task WriteTooManyAsync(HttpContext http, int retryAfterSeconds)
    {
        http.Response.WriteRetryAfter(retryAfterSeconds);
        return WriteAsync(http, OAuthError.TooManyRequests(retryAfterSeconds));
    }

    /// <summary>RFC 6749 §5.1: responses carrying or refusing credentials are never cached.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}

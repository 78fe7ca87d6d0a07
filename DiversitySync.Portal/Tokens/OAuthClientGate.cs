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

/// <summary>
/// The outcome of reading a client's request: a request of the right shape, or the error to answer with.
/// </summary>
public sealed record ClientRequestRead<T>(T? Request, OAuthError? Error,
    ClientAuthMethod Method) where T : class, IClientRequest;

/// <summary>What the gate lets through: a proven client, or the answer that refuses the request.</summary>
public sealed record GateOutcome<T>(AuthenticatedClient<T>? Client,
    OAuthErrorResult? Refused) where T : class, IClientRequest
{
    public static implicit operator GateOutcome<T>(OAuthErrorResult refused) => new(null, refused);

    public static implicit operator GateOutcome<T>(AuthenticatedClient<T> client) => new(client, null);
}

/// <summary>A client whose key was proven and is usable now, with what it asked for.</summary>
public sealed record AuthenticatedClient<T>(T Request, KeyAuthentication Key, Actor Actor,
    DateTime Now) where T : class, IClientRequest
{
    public KeyEntry Entry => Key.Key!;
}

/// <summary>
/// The steps every endpoint a client authenticates to with its key shares (token, introspection, revocation):
/// POST only → the per-IP allowance → the request's shape → fresh key state → the key itself → the per-key
/// allowance. Each refusal is an RFC 6749 error result, never cached; the endpoint gets a proven client or the
/// refusal to answer with. Failed authentications are audited with their true reason; the client sees one identical
/// invalid_client for all of them (K-05).
/// </summary>
public sealed class OAuthClientGate(KeyAuthenticator authenticator, KeyNames names, AuditQueue audit,
    ChangeFeed changes, RateLimits limits, KeyUsageTracker usage, TimeProvider time)
{
    /// <summary>
    /// Which allowances apply: per IP before any work, per key once the key is proven. Each gives the seconds to wait,
    /// or null.
    /// </summary>
    public sealed record Allowances(Func<RateLimits, string, Func<AuditEvent>, int?> PerIp,
        Func<RateLimits, string, Func<AuditEvent>, int?> PerKey)
    {
        /// <summary>Token exchanges: every request counts per IP, and per key as an exchange.</summary>
        public static readonly Allowances Exchange = new((l, ip, r) => l.TokenRequest(ip, r),
            (l, key, r) => l.TokenForKey(key, r));

        /// <summary>
        /// Introspection and revocation, which a resource server may call for every request it serves: per IP only
        /// failed authentications count; per key they count as API calls.
        /// </summary>
        public static readonly Allowances ApiCall = new((l, ip, r) => l.ClientRequest(ip, r),
            (l, key, r) => l.ApiRequest(key, r));
    }

    public async Task<GateOutcome<T>> AuthenticateAsync<T>(
        HttpContext http, string what, Func<HttpRequest, CancellationToken, Task<ClientRequestRead<T>>> read,
        Allowances allowances)
        where T : class, IClientRequest
    {
        var arrived = changes.Now();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "POST";
            return new OAuthErrorResult(new OAuthError(StatusCodes.Status405MethodNotAllowed, "invalid_request",
                "Use POST."));
        }

        // Per client IP, and refused outright once its failed authentications are used up: before any other work.
        if (allowances.PerIp(limits, http.ClientIp(), () => AuditLog.Event(
                new Actor(Actor.KeyType, null, "API key", http.ClientIp(),
                    http.TraceIdentifier), AuditActions.RateLimited,
                time.GetUtcNow().UtcDateTime,
                detail: $"{what} requests from this IP (further refusals this minute not recorded)")) is { } wait)
        {
            return OAuthErrorResult.TooMany(wait);
        }

        var shaped = await read(http.Request, http.RequestAborted);
        if (shaped.Request is not { } request)
        {
            limits.FailedAuthentication(http.ClientIp()); // malformed requests use up the same allowance as wrong keys
            return new OAuthErrorResult(shaped.Error!, shaped.Method);
        }

        // Fail closed: if key state could not be refreshed lately, a revocation made elsewhere may be unseen.
        if (!changes.IsFresh) return OAuthErrorResult.Unavailable();

        var now = time.GetUtcNow().UtcDateTime;
        var actor = new Actor(Actor.KeyType, null, $"API key ({request.Method})", http.ClientIp(),
            http.TraceIdentifier);
        var client = await authenticator.AuthenticateAsync(request.Key, request.ClientId, arrived, http.RequestAborted);
        if (!client.Succeeded)
        {
            return Refused(http, request, actor, client.KeyId, Reason(client), what, now, Counted(client.Refusal));
        }

        // A key used from outside its IP allowlist is refused like any failed authentication, before its own
        // allowance: a stolen key used elsewhere cannot use up the real client's exchanges. Revocation is exempt: a
        // key found in a log may be killed from anywhere.
        if (what != RevocationEndpoint.What && !client.Key!.AllowsFrom(http.Connection.RemoteIpAddress))
        {
            return Refused(http, request, actor, client.KeyId, $"address {http.ClientIp()} not in the key's IP " +
                "allowlist", what, now, ExchangeRefusal.IpNotAllowed);
        }

        // Per key, counted only once the key is proven: nobody can use up another key's allowance.
        if (allowances.PerKey(limits, client.Key!.KeyId, () => AuditLog.Event(actor with { Id = client.KeyId },
                AuditActions.RateLimited, now, AuditTargets.Key, client.KeyId,
                $"{what} requests of this key (further refusals this minute not recorded)")) is { } keyWait)
        {
            if (what == TokenEndpoint.What) usage.Counts.Refused(client.Key.KeyId, now, ExchangeRefusal.RateLimited);
            return OAuthErrorResult.TooMany(keyWait);
        }
        var name = await names.OfAsync(client.Key, http.RequestAborted);
        return new AuthenticatedClient<T>(request, client, actor with { Id = client.KeyId, Name = name }, now);
    }

    /// <summary>
    /// A failed authentication: it uses up the IP's allowance, is counted on the key if the key exists, and is audited
    /// with its true reason; the client is told only invalid_client.
    /// </summary>
    private OAuthErrorResult Refused(HttpContext http, IClientRequest request, Actor actor, string? keyId,
        string reason, string what, DateTime now, ExchangeRefusal? counted)
    {
        limits.FailedAuthentication(http.ClientIp());
        if (what == TokenEndpoint.What && keyId is not null && counted is { } countedAs)
        {
            usage.Counts.Refused(keyId, now, countedAs);
        }
        audit.Enqueue(AuditLog.Event(actor with { Id = keyId }, AuditActions.TokenRefused, now, AuditTargets.Key, keyId,
            what == TokenEndpoint.What ? reason : $"{what}: {reason}"));
        return new OAuthErrorResult(OAuthError.InvalidClient, request.Method);
    }

    /// <summary>The refusals of a key that exists, as its day counters keep them; null for one that may not.</summary>
    private static ExchangeRefusal? Counted(KeyRefusal refusal) => refusal switch
    {
        KeyRefusal.WrongSecret => ExchangeRefusal.WrongSecret,
        KeyRefusal.Revoked => ExchangeRefusal.Revoked,
        KeyRefusal.Expired => ExchangeRefusal.Expired,
        KeyRefusal.CreatorArchived or KeyRefusal.CreatorNotActive => ExchangeRefusal.Creator,
        _ => null,
    };

    /// <summary>The refusal as the audit log records it; a rolled key past its grace is "replaced".</summary>
    private static string Reason(KeyAuthentication client) => client.Refusal switch
    {
        KeyRefusal.Expired when client.Key is { Replaced: true } => "key replaced",
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

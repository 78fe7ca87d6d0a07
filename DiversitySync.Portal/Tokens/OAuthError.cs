using System.Text.Json.Serialization;

namespace DiversitySync.Portal.Tokens;

/// <summary>An RFC 6749 §5.2 error response.</summary>
public sealed record OAuthError(
    [property: JsonIgnore] int Status,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description)
{
    public const string Realm = "DiversitySync";

    public static OAuthError InvalidRequest(string description) => new(StatusCodes.Status400BadRequest,
        "invalid_request", description);
    public static OAuthError UnsupportedGrantType(string description) => new(StatusCodes.Status400BadRequest,
        "unsupported_grant_type", description);
    public static OAuthError InvalidScope(string description) => new(StatusCodes.Status400BadRequest, "invalid_scope",
        description);
    /// <summary>RFC 7009 §2.2.1: a token type this server does not revoke (here: a hint it does not know).</summary>
    public static OAuthError UnsupportedTokenType(string description) => new(StatusCodes.Status400BadRequest,
        "unsupported_token_type", description);
    /// <summary>
    /// The client is proven but may not use this endpoint (RFC 6750 §3.1's error, for a client-authenticated call).
    /// </summary>
    public static OAuthError InsufficientScope(string description) => new(StatusCodes.Status403Forbidden,
        "insufficient_scope", description);
    public static OAuthError TooLarge(string description) => new(StatusCodes.Status413PayloadTooLarge,
        "invalid_request", description);
    public static OAuthError TooManyRequests(int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, "too_many_requests",
            $"Too many requests. Try again in {retryAfterSeconds} s.");
    public static OAuthError Unavailable() => new(StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable",
        "Key status cannot be checked right now. Try again shortly.");

    /// <summary>
    /// The one answer for an unknown, wrong, malformed, revoked or expired key, or a key whose creator was
    /// archived: byte-identical in every case, so it tells an attacker nothing (K-05).
    /// </summary>
    public static readonly OAuthError InvalidClient = new(StatusCodes.Status401Unauthorized, "invalid_client",
        "Client authentication failed.");

    public static readonly OAuthError MissingClient = new(
        StatusCodes.Status401Unauthorized, "invalid_client",
        "No API key was sent. Send it as Authorization: Bearer <key>, as the key property of a JSON body, or as OAuth " +
        "" +
        "client credentials.");

    /// <summary>
    /// Client input echoed in an error_description: the characters RFC 6749 §5.2 allows there, shortened.
    /// </summary>
    public static string Printable(string value) => EchoedInput.Clean(value, 40, EchoedCharacters.OAuthErrorText);

    /// <summary>
    /// RFC 6749 §5.2 and RFC 9110: a 401 names the scheme the client may use, matching the one it tried.
    /// </summary>
    public static string ChallengeFor(ClientAuthMethod method) =>
        method == ClientAuthMethod.BearerHeader ? $"Bearer realm=\"{Realm}\"" : $"Basic realm=\"{Realm}\"";
}

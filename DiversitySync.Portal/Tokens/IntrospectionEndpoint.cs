using System.Text.Json;
using System.Text.Json.Serialization;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// POST /oauth/introspect (RFC 7662): for a caller whose key holds read:tokens, the judgement /v1 would make of a
/// token at this moment, by the same validation and the same <see cref="AccessTokenJudge"/>, from memory. Anything
/// /v1 would refuse is <c>{"active": false}</c> and nothing more: never why (S-01).
/// </summary>
public static class IntrospectionEndpoint
{
    public const string Path = "/oauth/introspect";
    public const string What = "introspection";

    public sealed record Answer(
        [property: JsonPropertyName("active")] bool Active,
        [property: JsonPropertyName("scope")] string? Scope = null,
        [property: JsonPropertyName("client_id")] string? ClientId = null,
        [property: JsonPropertyName("sub")] string? Subject = null,
        [property: JsonPropertyName("exp")] long? Expires = null,
        [property: JsonPropertyName("iat")] long? IssuedAt = null,
        [property: JsonPropertyName("nbf")] long? NotBefore = null,
        [property: JsonPropertyName("iss")] string? Issuer = null,
        [property: JsonPropertyName("aud")] string? Audience = null,
        [property: JsonPropertyName("jti")] string? Jti = null,
        [property: JsonPropertyName("token_type")] string? TokenType = null,
        [property: JsonPropertyName("env")] string? Environment = null,
        [property: JsonPropertyName("fields")] IReadOnlyDictionary<string, IReadOnlyList<string>>? Fields = null)
    {
        public static readonly Answer Inactive = new(false);
    }

    private static readonly Func<HttpRequest, CancellationToken, Task<ClientRequestRead<TokenParameterRequest>>> Read =
        TokenParameterRequest.Reader(TokenParameterRequest.AccessTokenHint);

    public static async Task<Results<OAuthJsonResult<Answer>, OAuthErrorResult>> HandleAsync(
        HttpContext http, OAuthClientGate gate, AccessTokenJudge judge, ScopeCatalog catalog, RateLimits limits,
        ChangeFeed changes, KeyUsageTracker usage)
    {
        var gated = await gate.AuthenticateAsync(http, What, Read, OAuthClientGate.Allowances.ApiCall);
        if (gated.Client is not { } client) return gated.Refused!;
        var keyId = client.Entry.KeyId;
        if (!client.Key.Scopes.Contains(ScopeCatalog.ReadTokens))
        {
            limits.AuditOncePerMinute($"introspect-denied:{keyId}",
                () => AuditLog.Event(client.Actor, AuditActions.AuthorizationDenied, client.Now,
                AuditTargets.Key, keyId,
                $"missing {ScopeCatalog.ReadTokens} for POST {Path} (further refusals this minute not recorded)"));
            return new OAuthErrorResult(OAuthError.InsufficientScope($"Introspection needs a key that holds " +
                $"{ScopeCatalog.ReadTokens}."));
        }
        usage.Counts.Called(keyId, client.Now, ScopeCatalog.ReadTokens, apiCall: false); // its scope's last use
        limits.AuditOncePerMinute($"introspect:{keyId}",
            () => AuditLog.Event(client.Actor, AuditActions.TokenIntrospected, client.Now,
            AuditTargets.Key, keyId, "introspected tokens (further calls this minute not recorded)"));

        return await JudgeAsync(client.Request.Token, judge, catalog, changes.Now(), http.RequestAborted) is { } answer
            ? new OAuthJsonResult<Answer>(answer, IntrospectionJson.Default.Answer)
            : OAuthErrorResult.Unavailable();
    }

    /// <summary>The answer for <paramref name="token"/>, or null when key state cannot be checked right now.</summary>
    private static async Task<Answer?> JudgeAsync(string token, AccessTokenJudge judge, ScopeCatalog catalog,
        long arrived, CancellationToken cancellationToken)
    {
        if (await judge.ValidateAsync(token) is not { } jwt) return Answer.Inactive;
        var verdict = await judge.JudgeAsync(jwt, arrived, cancellationToken);
        if (verdict.Standing == AccessTokenStanding.Unavailable) return null;
        if (verdict.Key is not { } key) return Answer.Inactive;
        return new Answer(
            true, string.Join(' ', catalog.Order(verdict.Scopes)), key.KeyId, key.KeyId, Seconds(jwt,
                JwtRegisteredClaimNames.Exp),
            Seconds(jwt, JwtRegisteredClaimNames.Iat), Seconds(jwt,
                JwtRegisteredClaimNames.Nbf), jwt.Issuer, jwt.Audiences.FirstOrDefault(), jwt.Id,
            "Bearer", key.Environment.ToCode(), key.Fields.IsRestricted ? key.Fields.ByResource : null);
    }

    private static long? Seconds(JsonWebToken jwt, string claim) => jwt.TryGetPayloadValue<long>(claim,
        out var value) ? value : null;
}

/// <summary>Introspection answers, serialized without reflection; absent members are left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IntrospectionEndpoint.Answer))]
internal sealed partial class IntrospectionJson : JsonSerializerContext;

using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>What a validly signed access token may do now, or why it may do nothing.</summary>
public sealed record AccessTokenVerdict(AccessTokenStanding Standing, KeyEntry? Key, IReadOnlyList<string> Scopes)
{
    public static readonly AccessTokenVerdict Inactive = new(AccessTokenStanding.Inactive, null, []);
    public static readonly AccessTokenVerdict Unavailable = new(AccessTokenStanding.Unavailable, null, []);
}

public enum AccessTokenStanding
{
    Active,
    /// <summary>Revoked by its client, its key no longer active, or its key's creator no longer entitled.</summary>
    Inactive,
    /// <summary>Key state may be stale (the database could not be read for a while): fail closed.</summary>
    Unavailable,
}

/// <summary>
/// The one judgement of a signed access token after its signature and lifetime were checked, shared by /v1
/// (<see cref="AccessTokenEvents"/>) and introspection: its jti not revoked (S-02), the key behind it still active and
/// its creator still entitled (J-08), its scopes cut down to what the key and its creator may do now. From memory:
/// no query, but for a key this instance has not seen yet.
/// </summary>
public sealed class AccessTokenJudge(
    KeyRegistry registry, KeyAuthenticator keys, RevokedAccessTokens revoked, ChangeFeed changes,
    IOptionsMonitor<JwtBearerOptions> bearer, TimeProvider time)
{
    /// <summary>
    /// A token presented outside /v1 (to introspection or revocation), checked by JwtBearer's own handler and
    /// parameters for /v1, so what validates there validates here and nothing else does; null if it does not.
    /// </summary>
    public async Task<JsonWebToken?> ValidateAsync(string token)
    {
        var options = bearer.Get(AccessTokenEvents.Scheme);
        var validated = await options.TokenHandlers[0].ValidateTokenAsync(token, options.TokenValidationParameters);
        return validated is { IsValid: true, SecurityToken: JsonWebToken jwt } ? jwt : null;
    }

    /// <param name="arrived">When the request arrived (<see cref="ChangeFeed.Now"/>).</param>
    public async Task<AccessTokenVerdict> JudgeAsync(JsonWebToken token, long arrived,
        CancellationToken cancellationToken)
    {
        if (!changes.IsFresh) return AccessTokenVerdict.Unavailable;
        if (!token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || revoked.IsRevoked(jti))
        {
            return AccessTokenVerdict.Inactive;
        }
        var keyId = token.TryGetPayloadValue<string>(TokenClaims.ClientId, out var id) ? id : "";
        var key = await keys.FindKeyAsync(keyId, arrived, cancellationToken);
        if (key is null || registry.Judge(key, time.GetUtcNow().UtcDateTime, out var creator) != KeyRefusal.None)
        {
            return AccessTokenVerdict.Inactive;
        }
        var allowed = KeyRegistry.EffectiveScopes(key, creator!);
        var scope = token.TryGetPayloadValue<string>(TokenClaims.Scope, out var granted) ? granted : "";
        return new(AccessTokenStanding.Active, key,
            [.. scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(allowed.Contains)]);
    }
}

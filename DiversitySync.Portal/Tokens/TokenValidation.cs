using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// The rules a /v1 access token must meet (J-01–J-06): our own published keys only, each with its own algorithm,
/// typ at+jwt, exact issuer and audience, exp required, and at most 30 s of clock skew. Keys are resolved from the
/// in-memory <see cref="SigningKeyStore"/> on every validation, so a rotation applies at once and no metadata is
/// ever fetched over HTTP.
/// </summary>
public sealed class TokenValidation(SigningKeyStore keys, IOptions<TokenOptions> options, TimeProvider time)
{
    public static readonly IReadOnlyList<string> ValidTypes = [TokenIssuer.TokenType, "application/at+jwt"];

    public TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = options.Value.Issuer,
        ValidAudience = options.Value.Audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        RequireAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(options.Value.ClockSkewSeconds),
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        // kid only selects among our current and previous keys: no kid, no key (a token is never tried against all).
        IssuerSigningKeyResolver = (_, _, kid,
            _) => keys.Current.Published.Where(p => p.Key.KeyId == kid).Select(SecurityKey (p) => p.Key),
        TryAllIssuerSigningKeys = false,
        // Each key verifies only with the algorithm it was made for: no HS256-with-the-public-key, no RS/PS swap (J-02).
        AlgorithmValidator = (algorithm, key, _, _) => keys.Current.Published.Any(p => ReferenceEquals(p.Key, key)
            && p.Algorithm == algorithm),
        ValidTypes = ValidTypes,
        NameClaimType = "sub",
        // Our clock, not DateTime.UtcNow: issuing and validating must agree.
        LifetimeValidator = ValidateLifetime,
    };

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token,
        TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null) throw new SecurityTokenNoExpirationException("The token has no exp claim.");
        if (notBefore > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.");
        }
        if (expires < now - parameters.ClockSkew) throw new SecurityTokenExpiredException("The token has expired.");
        return true;
    }
}

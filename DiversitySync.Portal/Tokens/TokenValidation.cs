using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// The rules a /v1 access token must meet (security-checklist J-01–J-06): our own published keys only,
/// their algorithms only, typ at+jwt, exact issuer and audience, exp required, and at most 30 s of clock skew.
/// Rebuilt only when the signing keys change.
/// </summary>
public sealed class TokenValidation(SigningKeyStore keys, IOptions<TokenOptions> options, TimeProvider time)
{
    public static readonly IReadOnlyList<string> ValidTypes = [TokenIssuer.TokenType, "application/at+jwt"];
    private (SigningKeySet Keys, TokenValidationParameters Parameters)? cached;

    public TokenValidationParameters Parameters
    {
        get
        {
            var set = keys.Current;
            var snapshot = cached;
            if (snapshot is { } hit && ReferenceEquals(hit.Keys, set)) return hit.Parameters;
            var parameters = Build(set);
            cached = (set, parameters);
            return parameters;
        }
    }

    private TokenValidationParameters Build(SigningKeySet set) => new()
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
        // Only asymmetric keys, each with its own algorithm: no HS256-with-the-public-key confusion (J-02).
        IssuerSigningKeys = [.. set.Published.Select(p => p.Key)],
        ValidAlgorithms = [.. set.Published.Select(p => p.Algorithm).Distinct()],
        // kid only selects among our keys; a token without a matching kid is not tried against all of them.
        TryAllIssuerSigningKeys = false,
        ValidTypes = ValidTypes,
        NameClaimType = "sub",
        // Our clock, not DateTime.UtcNow: issuing and validating must agree (security-checklist R-12).
        LifetimeValidator = ValidateLifetime,
    };

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null) throw new SecurityTokenNoExpirationException("The token has no exp claim.");
        if (notBefore > now + parameters.ClockSkew) throw new SecurityTokenNotYetValidException("The token is not valid yet.");
        if (expires < now - parameters.ClockSkew) throw new SecurityTokenExpiredException("The token has expired.");
        return true;
    }
}

using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// What a signature does not prove about a token's payload, checked after it verified: no claim twice (a parser that
/// keeps the first and one that keeps the last would read two different tokens), exp and iat as numbers, a lifetime
/// no longer than we ever issue (plus the skew), and scope and client_id as strings. Our tokens always pass; a token
/// minted elsewhere with our key, or by a bug, does not.
/// </summary>
public static class TokenShape
{
    private static readonly string[] NumericDates = [JwtRegisteredClaimNames.Exp, JwtRegisteredClaimNames.Iat,
        JwtRegisteredClaimNames.Nbf];
    private static readonly string[] Strings = [TokenClaims.Scope, TokenClaims.ClientId, JwtRegisteredClaimNames.Sub,
        JwtRegisteredClaimNames.Jti];

    /// <summary>Null when the payload is well-formed; otherwise the reason, as an exception for JwtBearer.</summary>
    public static Exception? Check(JsonWebToken token, TimeSpan maxLifetime)
    {
        var payload = Base64UrlEncoder.DecodeBytes(token.EncodedPayload);
        var reader = new Utf8JsonReader(payload);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long? exp = null, iat = null;
        reader.Read(); // the object's start: the library has parsed it already
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!seen.Add(name)) return new SecurityTokenMalformedException("A claim appears twice.");
            reader.Read();
            if (NumericDates.Contains(name))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var seconds))
                {
                    return new SecurityTokenMalformedException("exp, iat and nbf must be numbers.");
                }
                if (name == JwtRegisteredClaimNames.Exp) exp = seconds;
                if (name == JwtRegisteredClaimNames.Iat) iat = seconds;
            }
            else if (Strings.Contains(name) && reader.TokenType != JsonTokenType.String)
            {
                return new SecurityTokenMalformedException($"{name} must be a string.");
            }
            reader.Skip();
        }
        if (exp is null || iat is null) return new SecurityTokenMalformedException("exp and iat are required.");
        return exp - iat > (long)maxLifetime.TotalSeconds ? new SecurityTokenInvalidLifetimeException("The token " +
            "lives longer than any token we issue.") : null;
    }
}

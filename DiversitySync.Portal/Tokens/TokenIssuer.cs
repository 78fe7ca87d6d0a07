using System.Security.Cryptography;
using DiversitySync.Portal.Keys;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

public sealed record IssuedToken(string AccessToken, int ExpiresIn, string Scope, string Jti);

/// <summary>Mints RFC 9068 access tokens: typ at+jwt, kid, and sub = client_id = the key id.</summary>
public sealed class TokenIssuer(SigningKeyStore keys, IOptions<TokenOptions> options, TimeProvider time)
{
    public const string TokenType = "at+jwt";
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public IssuedToken Issue(KeyEntry key, IReadOnlyList<string> scopes)
    {
        // Whole seconds, so that exp - iat is exactly the lifetime.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        var lifetime = options.Value.LifetimeSeconds;
        var jti = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var scope = string.Join(' ', scopes);
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = key.KeyId,
            [TokenClaims.ClientId] = key.KeyId,
            [TokenClaims.Scope] = scope,
            [JwtRegisteredClaimNames.Jti] = jti,
            [TokenClaims.Environment] = key.Environment.ToCode(),
        };
        // Only when the key is limited: a token without the claim sees every field (the key's, never widened by the request).
        if (key.Fields.IsRestricted) claims[TokenClaims.Fields] = key.Fields.ByResource.ToDictionary(f => f.Key, f => (object)f.Value.ToArray());
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(lifetime),
            SigningCredentials = keys.Current.Signing,
            Claims = claims,
        });
        return new IssuedToken(token, lifetime, scope, jti);
    }
}

public static class TokenClaims
{
    public const string ClientId = "client_id";
    public const string Scope = "scope";
    public const string Environment = "env";
    /// <summary>The fields the key is limited to, by resource: <c>{"staff": ["name", "email"]}</c>; absent when it is not limited.</summary>
    public const string Fields = "fields";
}

using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using DiversitySync.Portal.Keys;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DiversitySync.Portal.Tokens;

public sealed record IssuedToken(string AccessToken, int ExpiresIn, string Scope, string Jti);

/// <summary>Mints RFC 9068 access tokens: typ at+jwt, kid, and sub = client_id = the key id.</summary>
public sealed class TokenIssuer(SigningKeyStore keys, IOptions<TokenOptions> options, TimeProvider time)
{
    public const string TokenType = "at+jwt";

    public IssuedToken Issue(KeyEntry key, IReadOnlyList<string> scopes)
    {
        // Whole seconds, so that exp - iat is exactly the lifetime.
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var lifetime = options.Value.LifetimeSeconds;
        var jti = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var scope = string.Join(' ', scopes);

        var payload = new ArrayBufferWriter<byte>(512);
        using (var claims = new Utf8JsonWriter(payload))
        {
            claims.WriteStartObject();
            claims.WriteString(JwtRegisteredClaimNames.Iss, options.Value.Issuer);
            claims.WriteString(JwtRegisteredClaimNames.Sub, key.KeyId);
            claims.WriteString(JwtRegisteredClaimNames.Aud, options.Value.Audience);
            claims.WriteString(TokenClaims.ClientId, key.KeyId);
            claims.WriteString(TokenClaims.Scope, scope);
            claims.WriteString(JwtRegisteredClaimNames.Jti, jti);
            claims.WriteString(TokenClaims.Environment, key.Environment.ToCode());
            // Only when the key is limited: a token without the claim sees every field (the key's, never widened by the request).
            if (key.Fields.IsRestricted)
            {
                claims.WriteStartObject(TokenClaims.Fields);
                foreach (var (resource, fields) in key.Fields.ByResource)
                {
                    claims.WriteStartArray(resource);
                    foreach (var field in fields) claims.WriteStringValue(field);
                    claims.WriteEndArray();
                }
                claims.WriteEndObject();
            }
            claims.WriteNumber(JwtRegisteredClaimNames.Iat, now);
            claims.WriteNumber(JwtRegisteredClaimNames.Nbf, now);
            claims.WriteNumber(JwtRegisteredClaimNames.Exp, now + lifetime);
            claims.WriteEndObject();
        }
        return new IssuedToken(keys.Current.Signer.Sign(payload.WrittenSpan), lifetime, scope, jti);
    }
}

public static class TokenClaims
{
    public const string ClientId = "client_id";
    public const string Scope = "scope";
    public const string Environment = "env";
    /// <summary>
    /// The fields the key is limited to, by resource: <c>{"staff": ["name", "email"]}</c>; absent when it is not
    /// limited.
    /// </summary>
    public const string Fields = "fields";
}

using System.Security.Cryptography;
using System.Text;
using DiversitySync.Portal.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>Builds JWTs by hand, so tests can send every malformed, tampered or hostile variant (J-01–J-09).</summary>
public sealed class JwtForge(PortalFactory factory)
{
    private RsaSecurityKey ServerKey =>
        (RsaSecurityKey)factory.Services.GetRequiredService<SigningKeyStore>().Current.Signer.Key;

    public Dictionary<string, object?> Header() => new()
    {
        ["alg"] = "RS256",
        ["typ"] = "at+jwt",
        ["kid"] = ServerKey.KeyId
    };

    public Dictionary<string, object?> Claims(string keyId, string scope)
    {
        var now = factory.Time.GetUtcNow().ToUnixTimeSeconds();
        return new()
        {
            ["iss"] = "http://localhost:5080",
            ["aud"] = "diversitysync-api",
            ["sub"] = keyId,
            ["client_id"] = keyId,
            ["scope"] = scope,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["env"] = "live",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 900,
        };
    }

    /// <summary>Signed with the server's real signing key.</summary>
    public string Sign(Dictionary<string, object?> header, Dictionary<string, object?> claims) =>
        Encode(header, claims,
            data => ServerKey.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>
    /// Signed with the server's real signing key, over a payload written by hand (a claim twice, say).
    /// </summary>
    public string SignRaw(Dictionary<string, object?> header, string payloadJson)
    {
        var input = $"{Segment(header)}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payloadJson))}";
        return $"{input}.{Base64UrlEncoder.Encode(ServerKey.Rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    public static string Encode(object header, object claims, Func<byte[], byte[]>? sign)
    {
        var input = $"{Segment(header)}.{Segment(claims)}";
        return $"{input}.{(sign is null ? "" : Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(input))))}";
    }

    public static string Segment(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));

    /// <summary>The server's public key in the forms an attacker might use as an HMAC secret (J-02).</summary>
    public IEnumerable<(string Form, byte[] Secret)> PublicKeyAsSecrets()
    {
        var rsa = ServerKey.Rsa;
        yield return ("pem", Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()));
        yield return ("der", rsa.ExportSubjectPublicKeyInfo());
        yield return ("modulus", rsa.ExportParameters(false).Modulus!);
    }
}

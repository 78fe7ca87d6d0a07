using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// Signs this server's access tokens with one private key, in JWS compact form (RFC 7515 §7.1):
/// base64url(header).base64url(payload).base64url(signature). The header is the same for every token of a key, so
/// it is encoded once here; a token then costs one payload encoding and the signature, which is nearly all of an
/// exchange's CPU. Validation is not done here: JwtBearer checks these tokens like any others (and the tests do).
/// </summary>
public sealed class JwtSigner
{
    private readonly byte[] encodedHeader;
    private readonly RSA? rsa;
    private readonly RSASignaturePadding? padding;
    private readonly ECDsa? ecdsa;

    public JwtSigner(AsymmetricSecurityKey key, string algorithm)
    {
        (Key, Algorithm) = (key, algorithm);
        switch (key)
        {
            case RsaSecurityKey { Rsa: { } privateRsa } when algorithm is "RS256" or "PS256":
                (rsa, padding) = (privateRsa,
                    algorithm == "RS256" ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss);
                break;
            case ECDsaSecurityKey { ECDsa: { } privateEcdsa } when algorithm == "ES256":
                ecdsa = privateEcdsa;
                break;
            default:
                throw new InvalidOperationException($"A {key.GetType().Name} cannot sign {algorithm}.");
        }
        var header = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteString("alg", algorithm);
            json.WriteString("kid", key.KeyId);
            json.WriteString("typ", TokenIssuer.TokenType);
            json.WriteEndObject();
        }
        encodedHeader = Base64Url.EncodeToUtf8(header.WrittenSpan);
    }

    /// <summary>The private key: what the JWKS publishes the public half of, under its <c>kid</c>.</summary>
    public AsymmetricSecurityKey Key { get; }
    public string Kid => Key.KeyId;
    public string Algorithm { get; }

    /// <summary>The compact JWS of this payload (UTF-8 JSON of the claims).</summary>
    public string Sign(ReadOnlySpan<byte> payload)
    {
        var signatureLength = rsa is not null ? rsa.KeySize / 8 : 64; // ES256: r and s, 32 bytes each (RFC 7518 §3.4)
        var signingInputLength = encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payload.Length);
        var tokenLength = signingInputLength + 1 + Base64Url.GetEncodedLength(signatureLength);
        // One rented buffer: the token, then the raw signature behind it.
        var buffer = ArrayPool<byte>.Shared.Rent(tokenLength + signatureLength);
        try
        {
            var token = buffer.AsSpan(0, tokenLength);
            var signature = buffer.AsSpan(tokenLength, signatureLength);
            encodedHeader.CopyTo(token);
            token[encodedHeader.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, token[(encodedHeader.Length + 1)..]);

            var signed = rsa is not null
                ? rsa.TrySignData(token[..signingInputLength], signature, HashAlgorithmName.SHA256, padding!,
                    out var written)
                : ecdsa!.TrySignData(token[..signingInputLength], signature, HashAlgorithmName.SHA256, out written);
            if (!signed || written != signatureLength)
            {
                throw new CryptographicException($"The {Algorithm} signature has an unexpected length.");
            }

            token[signingInputLength] = (byte)'.';
            Base64Url.EncodeToUtf8(signature, token[(signingInputLength + 1)..]);
            return Encoding.ASCII.GetString(token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true); // it held a bearer token
        }
    }
}

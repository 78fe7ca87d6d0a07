using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>Turns PEM key material into IdentityModel keys, and makes new keys.</summary>
public static class SigningKeyMaterial
{
    public static bool IsEllipticCurve(string algorithm) => algorithm.StartsWith("ES", StringComparison.Ordinal);

    public static string NewPrivateKeyPem(string algorithm, int rsaKeySize)
    {
        if (IsEllipticCurve(algorithm))
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return ecdsa.ExportPkcs8PrivateKeyPem();
        }
        using var rsa = RSA.Create(rsaKeySize);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>
    /// The private key to sign with and its public half, both carrying the kid (an RFC 7638 thumbprint).
    /// </summary>
    public static (AsymmetricSecurityKey Private, AsymmetricSecurityKey Public) Load(string algorithm,
        string privateKeyPem)
    {
        AsymmetricSecurityKey privateKey, publicKey;
        if (IsEllipticCurve(algorithm))
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(privateKeyPem);
            var publicOnly = ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false));
            (privateKey, publicKey) = (new ECDsaSecurityKey(ecdsa), new ECDsaSecurityKey(publicOnly));
        }
        else
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(privateKeyPem);
            if (rsa.KeySize < 2048)
            {
                throw new InvalidOperationException("An RSA signing key must have at least 2048 bits.");
            }
            (privateKey, publicKey) = (new RsaSecurityKey(rsa),
                new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)));
        }
        var kid = Base64UrlEncoder.Encode(publicKey.ComputeJwkThumbprint());
        privateKey.KeyId = publicKey.KeyId = kid;
        return (privateKey, publicKey);
    }
}

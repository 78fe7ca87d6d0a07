using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.SecretScanning;

/// <summary>
/// The secret scanners whose leaked-key reports are accepted: each signing key's identifier and its ECDSA P-256
/// public key in PEM, as the scanner publishes them (GitHub:
/// <c>https://api.github.com/meta/public_keys/secret_scanning</c>).
/// Copied into configuration, never fetched at run time. Empty: reports are not accepted.
/// </summary>
public sealed class SecretScanningOptions
{
    public const string Section = "SecretScanning";

    public Dictionary<string, string> PublicKeys { get; set; } = [];

    /// <summary>
    /// Start-up validation: every configured key must be an ECDSA P-256 public key, or the app does not start.
    /// </summary>
    public static ValidateOptionsResult Validate(SecretScanningOptions options)
    {
        var errors = new List<string>();
        foreach (var (id, pem) in options.PublicKeys)
        {
            if (string.IsNullOrWhiteSpace(id) || id.Length > 200)
            {
                errors.Add("SecretScanning:PublicKeys: a key identifier must be 1 to 200 characters.");
            }
            else if (Load(pem) is null)
            {
                errors.Add($"SecretScanning:PublicKeys:{id}: not an ECDSA P-256 public key in PEM.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The key, or null if the text is not an ECDSA P-256 public key in PEM.</summary>
    public static ECDsa? Load(string? pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value) return key;
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
        }
        key.Dispose();
        return null;
    }
}

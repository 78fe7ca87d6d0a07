using System.Security.Cryptography;
using System.Text;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// Standard Webhooks (standardwebhooks.com) signatures: <c>v1,</c> + base64 of HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the bytes of the secret after <c>whsec_</c>.
/// Several secrets (during a rotation) give several signatures, space-separated, as the specification allows.
/// </summary>
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string messageId, long timestamp, string body, IEnumerable<string> secrets)
    {
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return string.Join(' ', secrets.Select(secret =>
            "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret[SecretPrefix.Length..]),
                content))));
    }
}

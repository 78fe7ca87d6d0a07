using System.Security.Cryptography;
using System.Text;

namespace DiversitySync.Portal.Keys;

/// <summary>A key that passed the format and checksum checks; nothing has been looked up yet.</summary>
public readonly record struct ParsedApiKey(ApiKeyEnvironment Environment, string KeyId, string Value)
{
    // The value is the secret itself: keep it out of logs and exception messages.
    public override string ToString() => $"ds_{Environment.ToCode()}_{KeyId}_…";
}

/// <summary>
/// <c>ds_&lt;live|test&gt;_&lt;16 hex key id&gt;_&lt;40 hex secret&gt;&lt;8 hex CRC-32&gt;</c>.
/// The CRC covers everything before it, so look-alikes are rejected without touching the database.
/// </summary>
public static class ApiKeyFormat
{
    public const int KeyIdLength = ApiKey.KeyIdLength;
    public const int SecretBytes = 20; // 160 bits from a CSPRNG (RFC 6749 §10.10)
    public const int Length = 3 + 4 + 1 + KeyIdLength + 1 + SecretBytes * 2 + 8;

    public static string NewKeyId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyIdLength / 2));

    public static string Create(ApiKeyEnvironment environment, string keyId)
    {
        if (!IsKeyId(keyId))
        {
            throw new ArgumentException("A key id is 16 lowercase hex characters.", nameof(keyId));
        }
        var body = $"ds_{environment.ToCode()}_{keyId}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes))}";
        return body + Checksum(body);
    }

    public static bool IsKeyId(ReadOnlySpan<char> value) => value.Length == KeyIdLength && IsLowerHex(value);

    /// <summary>
    /// The key id from either form people use: <c>2f1ac3d0…</c> or <c>ds_live_2f1ac3d0…</c>; null if neither.
    /// </summary>
    public static string? KeyIdOf(string? value) => value is not null && WithoutPrefix(value) is var id
        && IsKeyId(id) ? id : null;

    /// <summary>
    /// A key id as shown (<c>ds_live_…</c>, <c>ds_test_…</c>) or typed without its prefix: the part after it.
    /// </summary>
    public static string WithoutPrefix(string value) =>
        value.StartsWith("ds_live_", StringComparison.Ordinal)
            || value.StartsWith("ds_test_", StringComparison.Ordinal) ? value[8..] : value;

    public static ParsedApiKey? Parse(string? value)
    {
        if (value is null || value.Length != Length || !value.StartsWith("ds_", StringComparison.Ordinal))
        {
            return null;
        }
        var span = value.AsSpan();
        ApiKeyEnvironment environment;
        switch (span[3..8])
        {
            case "live_": environment = ApiKeyEnvironment.Live; break;
            case "test_": environment = ApiKeyEnvironment.Test; break;
            default: return null;
        }

        var keyId = span.Slice(8, KeyIdLength);
        var separator = span[8 + KeyIdLength];
        var secretAndCrc = span[(8 + KeyIdLength + 1)..];
        if (!IsKeyId(keyId) || separator != '_' || !IsLowerHex(secretAndCrc))
        {
            return null;
        }
        // The checksum is derived from the key, not a secret: an ordinary comparison is fine here.
        var checksum = Checksum(span[..^8]);
        return secretAndCrc[^8..].Equals(checksum, StringComparison.Ordinal) ? new ParsedApiKey(environment,
            keyId.ToString(), value) : null;
    }

    /// <summary>
    /// CRC-32 (IEEE 802.3, as zlib computes it) of the ASCII text before it, as 8 lowercase hex digits.
    /// </summary>
    private static string Checksum(ReadOnlySpan<char> ascii)
    {
        Span<byte> bytes = stackalloc byte[ascii.Length];
        Encoding.ASCII.GetBytes(ascii, bytes);
        return System.IO.Hashing.Crc32.HashToUInt32(bytes).ToString("x8");
    }

    /// <summary>SHA-256 of the whole key: the only form that is stored.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.ASCII.GetBytes(key));

    private static bool IsLowerHex(ReadOnlySpan<char> value) => !value.ContainsAnyExcept("0123456789abcdef");
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// Authenticator codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, one step of drift either way) that work once:
/// a code is accepted only if its time step is later than the last one accepted for the person, and taking it is a
/// conditional UPDATE, so two sign-ins with the same code, here or on another instance, cannot both succeed.
/// Identity's own provider accepts a code again and again for 90 seconds.
/// </summary>
public sealed class OneTimeAuthenticator(PortalDbContext db,
    TimeProvider time) : IUserTwoFactorTokenProvider<StaffMember>
{
    public const string ProviderName = "OneTimeAuthenticator";
    private const int StepSeconds = 30;

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<StaffMember> manager,
        StaffMember user)
    {
        if (StaffMfa.CodeOf(token) is not { } code
            || await manager.GetAuthenticatorKeyAsync(user) is not { Length: > 0 } key)
        {
            return false;
        }
        var secret = Base32Decode(key);
        var now = time.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Totp(secret, step)),
                System.Text.Encoding.ASCII.GetBytes(code)))
            {
                continue;
            }
            var taken = await db.Users
                .Where(s => s.Id == user.Id && (s.LastTotpStep == null || s.LastTotpStep < step))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastTotpStep, step));
            if (taken == 1) user.LastTotpStep = step;
            return taken == 1;
        }
        return false;
    }

    public Task<string> GenerateAsync(string purpose, UserManager<StaffMember> manager, StaffMember user) =>
        throw new NotSupportedException("Authenticator codes come from the person's app.");

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<StaffMember> manager, StaffMember user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>RFC 4226 HOTP of the step, as six digits.</summary>
    private static string Totp(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(secret, counter);
        var offset = hash[^1] & 0x0f;
        var value = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff;
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 4648 base32, as Identity writes authenticator keys.</summary>
    private static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant().TrimEnd('='))
        {
            var value = alphabet.IndexOf(c);
            if (value < 0) continue;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}

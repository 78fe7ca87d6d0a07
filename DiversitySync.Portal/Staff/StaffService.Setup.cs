using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// No default credentials: the first Owner is created through a one-time link. The token is
/// stored as a SHA-256 hash only, compared in constant time, valid for 24 hours, and gone once used.
/// </summary>
public sealed partial class StaffService
{
    public static readonly TimeSpan SetupLinkLifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// A new token, replacing any earlier one, for the server at start or the admin CLI; null once an Owner exists.
    /// </summary>
    public async Task<string?> CreateSetupTokenAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var made = await writes.RunAsync<string>(actor, OnlyTheCli, async change =>
        {
            if (await AnyOwnerAsync(cancellationToken))
            {
                return Refusal.Conflict("There is an Owner already: sign in instead.");
            }
            var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            await db.SetupTokens.ExecuteDeleteAsync(cancellationToken);
            db.SetupTokens.Add(new SetupToken { TokenHash = Hash(token), ExpiresAt = change.Now + SetupLinkLifetime });
            change.Audit(AuditActions.SetupLinkCreated, detail: $"valid until {change.Now + SetupLinkLifetime:u}");
            return token;
        }, cancellationToken);
        return made.Value;
    }

    /// <summary>
    /// Whether the link can still create the Owner: the token matches, has not expired, and there is no Owner yet.
    /// </summary>
    public async Task<bool> IsSetupTokenValidAsync(string? token, CancellationToken cancellationToken = default) =>
        await MatchesStoredTokenAsync(token, cancellationToken) && !await AnyOwnerAsync(cancellationToken);

    /// <summary>Creates the Owner with a password and uses up the token, in one change.</summary>
    public Task<Outcome<StaffMember>> CompleteSetupAsync(
        string? token, string email, string displayName, string password, string? clientIp,
        CancellationToken cancellationToken = default) =>
        writes.RunWithCredentialAsync(new Actor(Actor.SystemType, null, "Setup link", clientIp), async change =>
        {
            if (!await IsSetupTokenValidAsync(token, cancellationToken))
            {
                return Refusal.Invalid("This setup link is no longer valid.");
            }
            var created = await CreateInTransactionAsync(email, displayName, [StaffRole.Owner], StaffStatus.Active,
                password, change, AuditActions.StaffCreated, cancellationToken);
            if (created.Succeeded) await db.SetupTokens.ExecuteDeleteAsync(cancellationToken);
            return created;
        }, cancellationToken);

    private async Task<bool> MatchesStoredTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return false;
        var now = time.GetUtcNow().UtcDateTime;
        var stored = await db.SetupTokens.AsNoTracking().Where(t => t.ExpiresAt > now).Select(t => t.TokenHash)
            .ToListAsync(cancellationToken);
        var presented = Hash(token);
        return stored.Any(hash => CryptographicOperations.FixedTimeEquals(hash, presented));
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

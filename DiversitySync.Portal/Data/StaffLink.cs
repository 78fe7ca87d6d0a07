using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

public enum StaffLinkPurpose
{
    Invite,
    PasswordReset,
}

/// <summary>
/// A one-time link that lets one staff member choose a password: an invite, or a reset by an admin. Like the
/// setup link, only the SHA-256 of its token is stored; issuing a new link for someone replaces the old one,
/// and choosing the password uses it up.
/// </summary>
public sealed class StaffLink
{
    public static readonly TimeSpan InviteLifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan PasswordResetLifetime = TimeSpan.FromHours(24);

    public int Id { get; set; }
    public required byte[] TokenHash { get; init; }
    public required string StaffId { get; init; }
    public required StaffLinkPurpose Purpose { get; init; }
    public required DateTime ExpiresAt { get; init; }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string NewToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}

/// <summary>A link to give to a person, once: it holds a secret, so it is never logged (see ToString).</summary>
public sealed class OneTimeLink(string url, StaffLinkPurpose purpose, DateTime expiresAt)
{
    public string Url { get; } = url;
    public StaffLinkPurpose Purpose { get; } = purpose;
    public DateTime ExpiresAt { get; } = expiresAt;

    public override string ToString() => $"OneTimeLink {{ {Purpose}, expires {ExpiresAt:u} }}";
}

public sealed class StaffLinkConfiguration : IEntityTypeConfiguration<StaffLink>
{
    public void Configure(EntityTypeBuilder<StaffLink> link)
    {
        link.HasIndex(l => l.TokenHash).IsUnique();
        link.Property(l => l.Purpose).HasConversion<string>().HasMaxLength(16);
        link.HasOne<StaffMember>().WithMany().HasForeignKey(l => l.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

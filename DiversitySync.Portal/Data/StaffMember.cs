using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>
/// A person who signs in to the portal and creates keys. Keys never outlive their creator's standing.
/// </summary>
public sealed class StaffMember : IdentityUser
{
    public const int DisplayNameMaxLength = 100;

    public required string DisplayName { get; set; }
    public StaffStatus Status { get; set; } = StaffStatus.Active;
    public DateTime CreatedAt { get; init; }
    public DateTime? ArchivedAt { get; set; }

    /// <summary>
    /// The last TOTP time step accepted for this person: that code and every earlier one are used up.
    /// </summary>
    public long? LastTotpStep { get; set; }

    /// <summary>
    /// The client IPs this person completed a sign-in from lately (space-separated, newest first): failures from them
    /// do not count towards the lockout, and the lockout does not stop them, so a stranger cannot lock the owner out.
    /// </summary>
    public string? KnownSignInIps { get; set; }

    public const int KnownSignInIpCount = 5;

    public bool SignedInBefore(string clientIp) => KnownSignInIps?.Split(' ').Contains(clientIp) == true;

    public void RememberSignIn(string clientIp) =>
        KnownSignInIps = string.Join(' ',
            (KnownSignInIps?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            ?? []).Prepend(clientIp).Distinct().Take(KnownSignInIpCount));

    /// <summary>Initials for the avatar in lists, e.g. "Olive Owner" → "OO".</summary>
    public static string InitialsOf(string displayName) =>
        string.Concat(displayName.Split(' ',
            StringSplitOptions.RemoveEmptyEntries).Take(2).Select(part => char.ToUpperInvariant(part[0])));
}

public sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> staff)
    {
        staff.Property(s => s.DisplayName).HasMaxLength(StaffMember.DisplayNameMaxLength);
        staff.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        // IPv6 text is at most 45
        staff.Property(s => s.KnownSignInIps).HasMaxLength(StaffMember.KnownSignInIpCount * 46);
    }
}

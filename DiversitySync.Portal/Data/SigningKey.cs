using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>A token signing key. The private key is stored encrypted with ASP.NET Core Data Protection.</summary>
public sealed class SigningKey
{
    public required string Kid { get; init; }
    public required string Algorithm { get; init; }
    public required string ProtectedPrivateKey { get; init; }
    public required DateTime CreatedAt { get; init; }
    /// <summary>Set when a rotation leaves the key two generations behind: no longer published or accepted.</summary>
    public DateTime? RetiredAt { get; set; }
    public long Revision { get; set; }
}

public sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> key)
    {
        key.HasKey(k => k.Kid);
        key.Property(k => k.Kid).HasMaxLength(64);
        key.Property(k => k.Algorithm).HasMaxLength(8);
        key.HasIndex(k => k.CreatedAt);
    }
}

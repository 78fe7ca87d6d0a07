using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>
/// An access token revoked by its own client (RFC 7009), by jti: kept only until the token would expire.
/// </summary>
public sealed class RevokedAccessToken
{
    public required string Jti { get; init; }
    public required string KeyId { get; init; }
    public required DateTime ExpiresAt { get; init; }
    public required DateTime RevokedAt { get; init; }
    public long Revision { get; set; }
}

public sealed class RevokedAccessTokenConfiguration : IEntityTypeConfiguration<RevokedAccessToken>
{
    public void Configure(EntityTypeBuilder<RevokedAccessToken> token)
    {
        token.HasKey(t => t.Jti);
        token.Property(t => t.Jti).HasMaxLength(64);
        token.Property(t => t.KeyId).HasMaxLength(16);
        token.HasIndex(t => t.Revision);
        token.HasIndex(t => t.ExpiresAt);
    }
}

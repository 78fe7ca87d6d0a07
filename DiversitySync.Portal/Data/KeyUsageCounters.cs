using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>
/// One key's use on one UTC day, as counters: written by the batched usage writer (one row per key and day, never
/// a row per request) and kept after the audit log's high-volume events are deleted.
/// </summary>
public sealed class KeyUsageDay
{
    public required string KeyId { get; init; }
    public required DateOnly Day { get; init; }
    /// <summary>Token exchanges that issued a token.</summary>
    public int Issued { get; set; }
    /// <summary>Authenticated /v1 calls.</summary>
    public int ApiCalls { get; set; }
    // Exchanges refused, by reason: only for a key that exists (an unknown key id has no row to count on).
    public int RefusedSecret { get; set; }
    public int RefusedRevoked { get; set; }
    public int RefusedExpired { get; set; }
    public int RefusedCreator { get; set; }
    public int RefusedScope { get; set; }
    public int RefusedRateLimited { get; set; }
    /// <summary>From an address outside the key's IP allowlist.</summary>
    public int RefusedIp { get; set; }

    public int Refused => RefusedSecret + RefusedRevoked + RefusedExpired + RefusedCreator + RefusedScope
        + RefusedRateLimited + RefusedIp;
}

/// <summary>One key's calls that needed one scope on one UTC day, and the last of them.</summary>
public sealed class KeyScopeUsageDay
{
    public required string KeyId { get; init; }
    public required string Scope { get; init; }
    public required DateOnly Day { get; init; }
    public int Calls { get; set; }
    public DateTime LastAt { get; set; }
}

/// <summary>
/// When a key last made a call that needed a scope: one row per key and scope, kept up by the usage writer beside the
/// day rows, so "holds a scope it has not used for N days" reads a key's few scopes instead of its days.
/// </summary>
public sealed class KeyScopeLastUse
{
    public required string KeyId { get; init; }
    public required string Scope { get; init; }
    public DateTime LastAt { get; set; }
}

public sealed class KeyUsageCounterConfiguration
    : IEntityTypeConfiguration<KeyUsageDay>, IEntityTypeConfiguration<KeyScopeUsageDay>,
        IEntityTypeConfiguration<KeyScopeLastUse>
{
    public void Configure(EntityTypeBuilder<KeyScopeLastUse> use)
    {
        use.HasKey(u => new { u.KeyId, u.Scope });
        use.Property(u => u.KeyId).HasMaxLength(ApiKey.KeyIdLength);
        use.Property(u => u.Scope).HasMaxLength(100);
        // Covers "how many of this key's scopes were used since": a count per key without reading the rows.
        use.HasIndex(u => new { u.KeyId, u.LastAt });
    }

    public void Configure(EntityTypeBuilder<KeyUsageDay> day)
    {
        day.HasKey(d => new { d.KeyId, d.Day });
        day.Property(d => d.KeyId).HasMaxLength(ApiKey.KeyIdLength);
        day.Ignore(d => d.Refused);
        // Review's chart sums every key by day; retention deletes by day.
        day.HasIndex(d => d.Day);
    }

    public void Configure(EntityTypeBuilder<KeyScopeUsageDay> day)
    {
        day.HasKey(d => new { d.KeyId, d.Scope, d.Day });
        day.Property(d => d.KeyId).HasMaxLength(ApiKey.KeyIdLength);
        day.Property(d => d.Scope).HasMaxLength(100);
        day.HasIndex(d => d.Day);
    }
}

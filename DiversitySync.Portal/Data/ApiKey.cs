using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>A stored API key. Only <see cref="ApiKeyService"/> writes these; the plaintext is never stored.</summary>
public sealed class ApiKey
{
    public const int KeyIdLength = 16;
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 500;
    public const int FieldsMaxLength = 8000;
    public const int UserAgentMaxLength = 256;

    public required string KeyId { get; init; }
    public required ApiKeyEnvironment Environment { get; init; }
    public required string Name { get; init; }
    /// <summary>Lower-case name, so that search is case-insensitive on every provider.</summary>
    public required string NameForSearch { get; init; }
    public string? Description { get; init; }
    public required byte[] SecretHash { get; init; }
    /// <summary>Space-delimited, as in a token's scope claim.</summary>
    public required string Scopes { get; init; }
    /// <summary>
    /// Whether <see cref="Scopes"/> holds any write: scope (<see cref="ScopeVerbs.HoldsWrite"/>), stored so that
    /// "live keys that can write" reads an index instead of every key's scopes.
    /// </summary>
    public bool HoldsWriteScope { get; init; }
    /// <summary>
    /// The fields the key is limited to, as <see cref="KeyFields"/> JSON; null when it sees all fields.
    /// </summary>
    public string? Fields { get; init; }
    public required KeyAccess Access { get; init; }

    public required DateTime CreatedAt { get; init; }
    public required string CreatedById { get; init; }
    public StaffMember? CreatedBy { get; init; }
    /// <summary>Set when another key created this one through /v1.</summary>
    public string? CreatedByKeyId { get; init; }
    public DateTime? ExpiresAt { get; init; }

    /// <summary>
    /// Set when the key was rolled: its successor. It works until <see cref="ExpiresAt"/> (the grace, never later than
    /// its own expiry), then exchanges are refused as replaced.
    /// </summary>
    public string? ReplacedByKeyId { get; init; }
    /// <summary>Set on a key made by rolling another: the key it replaces.</summary>
    public string? ReplacesKeyId { get; init; }
    /// <summary>Where the key may be used from, as <see cref="IpAllowlist"/> stores it; null: anywhere.</summary>
    public string? AllowedIps { get; init; }

    public DateTime? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public string? RevocationReason { get; set; }

    public DateTime? LastUsedAt { get; set; }
    public string? LastUsedIp { get; set; }
    public string? LastUsedUserAgent { get; set; }
    public string? LastUsedFor { get; set; }

    /// <summary>
    /// Since when the key's idlest scope has gone unneeded: the oldest of its scopes' last uses, or when the key was
    /// made while one of them has never been used. Kept by the usage writer (<see cref="KeyUsageCounterWrites"/>), so
    /// that "holds a scope unused for N days" is one indexed comparison.
    /// </summary>
    public DateTime ScopesIdleSince { get; set; }

    /// <summary>The <see cref="Data.ChangeCounter"/> value of the last change that matters to authentication.</summary>
    public long Revision { get; set; }

    /// <summary>
    /// Keys neither revoked nor expired at <paramref name="now"/>: <see cref="AccessRules.IsLive"/> as the database
    /// runs it.
    /// </summary>
    public static Expression<Func<ApiKey, bool>> LiveAt(DateTime now) => k => k.RevokedAt == null
        && (k.ExpiresAt == null || k.ExpiresAt > now);
}

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.HasKey(k => k.KeyId);
        key.Property(k => k.KeyId).HasMaxLength(ApiKey.KeyIdLength);
        key.Property(k => k.Environment).HasConversion<string>().HasMaxLength(8);
        key.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength);
        key.Property(k => k.NameForSearch).HasMaxLength(ApiKey.NameMaxLength);
        key.Property(k => k.Description).HasMaxLength(ApiKey.DescriptionMaxLength);
        key.Property(k => k.SecretHash).HasMaxLength(32);
        key.Property(k => k.Scopes).HasMaxLength(4000);
        key.Property(k => k.Fields).HasMaxLength(ApiKey.FieldsMaxLength);
        key.Property(k => k.Access).HasConversion<string>().HasMaxLength(16);
        key.Property(k => k.CreatedByKeyId).HasMaxLength(ApiKey.KeyIdLength);
        key.Property(k => k.ReplacedByKeyId).HasMaxLength(ApiKey.KeyIdLength);
        key.Property(k => k.ReplacesKeyId).HasMaxLength(ApiKey.KeyIdLength);
        key.Property(k => k.AllowedIps).HasMaxLength(IpAllowlist.StoredMaxLength);
        key.Property(k => k.RevokedBy).HasMaxLength(200);
        key.Property(k => k.RevocationReason).HasMaxLength(200);
        key.Property(k => k.LastUsedIp).HasMaxLength(64);
        key.Property(k => k.LastUsedUserAgent).HasMaxLength(ApiKey.UserAgentMaxLength);
        key.Property(k => k.LastUsedFor).HasMaxLength(40);
        key.HasOne(k => k.CreatedBy).WithMany().HasForeignKey(k => k.CreatedById).OnDelete(DeleteBehavior.Restrict);

        // One index per sort of the list pages, ending in the KeyId tie-break, so that a page (even page 4,000 of
        // 100,000 keys) is read from the index in order instead of sorting the table (bench/).
        key.HasIndex(k => new { k.CreatedAt, k.KeyId });
        key.HasIndex(k => new { k.CreatedById, k.CreatedAt, k.KeyId });
        // The last-used sort, and (with the columns after KeyId) Review's never used and unused for N days counted from
        // the index alone.
        key.HasIndex(k => new { k.LastUsedAt, k.KeyId, k.RevokedAt, k.ExpiresAt, k.CreatedAt });
        key.HasIndex(k => new { k.NameForSearch, k.KeyId });
        // Review's expiry filters (never, within N days, expired but not revoked), with the default order: a page's key
        // ids are sorted from the index alone.
        key.HasIndex(k => new { k.ExpiresAt, k.RevokedAt, k.CreatedAt, k.KeyId });
        // Review's "live keys that can write" and "scopes unused for N days", each with what "usable" reads.
        key.HasIndex(k => new { k.HoldsWriteScope, k.Environment, k.RevokedAt, k.ExpiresAt });
        key.HasIndex(k => new { k.ScopesIdleSince, k.RevokedAt, k.ExpiresAt });
        key.HasIndex(k => k.Revision);
        // The status and access filters at a million keys: revoked and replaced keys (as the filters mean them) from
        // small partial indexes in the default order; an access level in the default order.
        key.HasIndex(k => new { k.CreatedAt, k.KeyId }, "IX_ApiKeys_Revoked").HasFilter("\"RevokedAt\" IS NOT NULL");
        key.HasIndex(k => new { k.CreatedAt, k.KeyId }, "IX_ApiKeys_Replaced")
            .HasFilter("\"ReplacedByKeyId\" IS NOT NULL AND \"RevokedAt\" IS NULL");
        key.HasIndex(k => new { k.Access, k.CreatedAt, k.KeyId });
        // Expired and expiring soon (neither revoked nor replaced): matches counted, and a page's key ids sorted into
        // the default order, from this index alone.
        key.HasIndex(k => new { k.ExpiresAt, k.CreatedAt, k.KeyId }, "IX_ApiKeys_Unreplaced_Expiry")
            .HasFilter("\"RevokedAt\" IS NULL AND \"ReplacedByKeyId\" IS NULL");
    }
}

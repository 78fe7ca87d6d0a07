using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Audit;

/// <summary>Append-only: who did what to which key or staff member, when and from where. Never a secret.</summary>
public sealed class AuditEvent
{
    public long Id { get; init; }
    public required DateTime OccurredAt { get; init; }
    public required string Action { get; init; }
    public required string ActorType { get; init; }
    public string? ActorId { get; init; }
    public string? ActorName { get; init; }
    public string? TargetType { get; init; }
    public string? TargetId { get; init; }
    public string? ClientIp { get; init; }
    /// <summary>Free text such as the internal reason a token was refused.</summary>
    public string? Detail { get; init; }
    public string? CorrelationId { get; init; }
}

public sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> audit)
    {
        audit.Property(a => a.Action).HasMaxLength(64);
        audit.Property(a => a.ActorType).HasMaxLength(16);
        audit.Property(a => a.ActorId).HasMaxLength(64);
        audit.Property(a => a.ActorName).HasMaxLength(200);
        audit.Property(a => a.TargetType).HasMaxLength(16);
        audit.Property(a => a.TargetId).HasMaxLength(64);
        audit.Property(a => a.ClientIp).HasMaxLength(64);
        audit.Property(a => a.Detail).HasMaxLength(500);
        audit.Property(a => a.CorrelationId).HasMaxLength(64);
        audit.HasIndex(a => a.OccurredAt);
        audit.HasIndex(a => new { a.TargetType, a.TargetId });
    }
}

public static class AuditActions
{
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string TokenIssued = "token.issued";
    public const string TokenRefused = "token.refused";
    public const string AuthorizationDenied = "authorization.denied";
    public const string RateLimited = "rate.limited";
    public const string KeysRevokedAll = "key.revoked_all";
    public const string SignInSucceeded = "sign_in.succeeded";
    public const string SignInFailed = "sign_in.failed";
    public const string SignedOut = "sign_in.signed_out";
    public const string StaffCreated = "staff.created";
    public const string SetupLinkCreated = "setup.link_created";
    public const string SigningKeyCreated = "signing_key.created";
}

public static class AuditTargets
{
    public const string Key = "key";
    public const string Staff = "staff";
    public const string SigningKey = "signing_key";
}

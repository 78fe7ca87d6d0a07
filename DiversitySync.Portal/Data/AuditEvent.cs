using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

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
        // The log reads newest first (OccurredAt, then Id): each filter's index ends in that order, so a page of ten
        // million events, a day's range or one actor's events is read from an index in order, never sorted.
        audit.HasIndex(a => new { a.OccurredAt, a.Id });
        audit.HasIndex(a => new { a.TargetType, a.TargetId, a.OccurredAt, a.Id });
        audit.HasIndex(a => new { a.Action, a.OccurredAt, a.Id });
        audit.HasIndex(a => new { a.ActorId, a.OccurredAt, a.Id });
        audit.HasIndex(a => new { a.TargetId, a.OccurredAt, a.Id });
    }
}

public static class AuditActions
{
    /// <summary>Every action, for the audit log's filter and the tests that prove each is recorded.</summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(AuditActions).GetFields()
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];

    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string KeyExpiryChanged = "key.expiry_changed";
    public const string KeyRolled = "key.rolled";
    public const string KeyAllowedIpsChanged = "key.allowed_ips_changed";
    public const string TokenIssued = "token.issued";
    public const string TokenRefused = "token.refused";
    public const string TokenRevoked = "token.revoked";
    public const string TokenIntrospected = "token.introspected";
    public const string AuthorizationDenied = "authorization.denied";
    public const string RateLimited = "rate.limited";
    public const string KeysRevokedAll = "key.revoked_all";
    public const string SignInSucceeded = "sign_in.succeeded";
    public const string SignInFailed = "sign_in.failed";
    public const string SignedOut = "sign_in.signed_out";
    public const string StaffCreated = "staff.created";
    public const string StaffInvited = "staff.invited";
    public const string StaffInviteAccepted = "staff.invite_accepted";
    public const string StaffArchived = "staff.archived";
    public const string StaffUnarchived = "staff.unarchived";
    public const string StaffBlocked = "staff.blocked";
    public const string StaffUnblocked = "staff.unblocked";
    public const string StaffRolesChanged = "staff.roles_changed";
    public const string StaffPasswordReset = "staff.password_reset";
    public const string StaffPasswordSet = "staff.password_set";
    public const string StaffMfaReset = "staff.mfa_reset";
    public const string StaffMfaEnabled = "staff.mfa_enabled";
    public const string StaffMfaKeyCreated = "staff.mfa_key_created";
    public const string RoleCreated = "role.created";
    public const string RoleUpdated = "role.updated";
    public const string RoleDeleted = "role.deleted";
    public const string SetupLinkCreated = "setup.link_created";
    public const string SigningKeyCreated = "signing_key.created";
    public const string WebhookSecretRevealed = "webhook.secret_revealed";
    public const string WebhookSecretRotated = "webhook.secret_rotated";
    public const string WebhookEndpointCreated = "webhook.endpoint_created";
    public const string WebhookEndpointUpdated = "webhook.endpoint_updated";
    public const string WebhookEndpointDeleted = "webhook.endpoint_deleted";
    public const string WebhookTestSent = "webhook.test_sent";
    public const string WebhookDeliveryRetried = "webhook.delivery_retried";
    public const string KeyPolicyChanged = "settings.key_policy_changed";
    public const string KeyExpiredUnused = "key.expired_unused";
}

public static class AuditTargets
{
    public const string Key = "key";
    public const string Staff = "staff";
    public const string SigningKey = "signing_key";
    public const string Role = "role";
    public const string Webhook = "webhook";
    public const string Setting = "setting";
}

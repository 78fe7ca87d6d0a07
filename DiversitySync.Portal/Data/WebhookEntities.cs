using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>
/// The organisation's API shared secret (<c>whsec_…</c>), encrypted with Data Protection. The current one has no
/// <see cref="RetiresAt"/>; after a rotation the previous one keeps signing until then (24 hours).
/// </summary>
public sealed class WebhookSecret
{
    public long Id { get; init; }
    public required string ProtectedSecret { get; init; }
    public required DateTime CreatedAt { get; init; }
    public DateTime? RetiresAt { get; set; }
}

/// <summary>Where events are sent: an https URL and the event types it wants.</summary>
public sealed class WebhookEndpoint
{
    public const int UrlMaxLength = 2000;
    public const int DescriptionMaxLength = 300;

    public required string Id { get; init; }
    public required string Url { get; set; }
    public string? Description { get; set; }
    /// <summary>Space-delimited event types.</summary>
    public required string Events { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>
    /// Why it was disabled, when the dispatcher disabled it (failing for 3 days); null when a person did.
    /// </summary>
    public string? DisabledReason { get; set; }
    /// <summary>Since when every delivery has failed; null after a success.</summary>
    public DateTime? FailingSince { get; set; }
    public required DateTime CreatedAt { get; init; }
    public required string CreatedById { get; init; }
}

public enum WebhookMessageStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// The outbox: one event for one endpoint, written in the transaction of the change that caused it. The dispatcher
/// sends it until it is delivered or its retries are used up; <see cref="MessageId"/> is the same on every attempt.
/// </summary>
public sealed class WebhookMessage
{
    public const int ResponseMaxLength = 500;

    public long Id { get; init; }
    /// <summary>
    /// The webhook-id header: msg_ and 24 random characters, shared by every endpoint the event went to.
    /// </summary>
    public required string MessageId { get; init; }
    public required string EndpointId { get; init; }
    public required string Type { get; init; }
    /// <summary>The exact body sent, so that a retry signs the same bytes.</summary>
    public required string Payload { get; init; }
    public required DateTime CreatedAt { get; init; }
    public WebhookMessageStatus Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>
    /// When it is due (again); also the lease of an attempt in flight, so a crashed sender's work is retried.
    /// </summary>
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public int? LastDurationMs { get; set; }
    /// <summary>The start of the receiver's answer, or why there was none; shown as text, never as HTML.</summary>
    public string? LastResponse { get; set; }
}

public sealed class WebhookConfiguration :
    IEntityTypeConfiguration<WebhookSecret>, IEntityTypeConfiguration<WebhookEndpoint>, IEntityTypeConfiguration<WebhookMessage>
{
    public void Configure(EntityTypeBuilder<WebhookSecret> secret)
    {
        secret.Property(s => s.ProtectedSecret).HasMaxLength(1000);
    }

    public void Configure(EntityTypeBuilder<WebhookEndpoint> endpoint)
    {
        endpoint.Property(e => e.Id).HasMaxLength(32);
        endpoint.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength);
        endpoint.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
        endpoint.Property(e => e.Events).HasMaxLength(1000);
        endpoint.Property(e => e.DisabledReason).HasMaxLength(300);
        endpoint.Property(e => e.CreatedById).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<WebhookMessage> message)
    {
        message.Property(m => m.MessageId).HasMaxLength(40);
        message.Property(m => m.EndpointId).HasMaxLength(32);
        message.Property(m => m.Type).HasMaxLength(64);
        message.Property(m => m.Payload).HasMaxLength(8000);
        message.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        message.Property(m => m.LastResponse).HasMaxLength(WebhookMessage.ResponseMaxLength);
        // The dispatcher's query: what is due, oldest first.
        message.HasIndex(m => new { m.Status, m.NextAttemptAt });
        message.HasIndex(m => new { m.EndpointId, m.Id });
    }
}

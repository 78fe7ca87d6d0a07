using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data;

/// <summary>The event types an endpoint can subscribe to, and the outbox they are written to.</summary>
public static class WebhookEvents
{
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string ApiKeyRolled = "api_key.rolled";
    public const string ApiKeyExpiring = "api_key.expiring";
    public const string ApiKeyExpired = "api_key.expired";
    public const string StaffArchived = "staff.archived";
    public const string StaffBlocked = "staff.blocked";
    public const string WebhookTest = "webhook.test";

    public static readonly IReadOnlyList<string> All = [ApiKeyCreated, ApiKeyRevoked, ApiKeyRolled, ApiKeyExpiring, ApiKeyExpired,
        StaffArchived, StaffBlocked, WebhookTest];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// Writes the event to the outbox for every enabled endpoint subscribed to it, in the caller's transaction: it is
    /// sent if and only if the change commits. <paramref name="data"/> never holds a secret.
    /// </summary>
    public static Task PublishAsync(this PortalDbContext db, string type, object data, DateTime now,
        CancellationToken cancellationToken, string? onlyEndpoint = null) =>
        db.PublishAllAsync(type, [data], now, cancellationToken, onlyEndpoint);

    /// <summary>Many events of one type (Revoke all, an archive): the subscribers are read once.</summary>
    public static async Task PublishAllAsync(this PortalDbContext db, string type, IReadOnlyCollection<object> events,
        DateTime now, CancellationToken cancellationToken, string? onlyEndpoint = null)
    {
        if (events.Count == 0) return;
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.Enabled && (onlyEndpoint == null || e.Id == onlyEndpoint))
            .Select(e => new { e.Id, e.Events }).ToListAsync(cancellationToken);
        var subscribed = endpoints.Where(e => onlyEndpoint is not null
            || e.Events.Split(' ').Contains(type)).Select(e => e.Id).ToList();
        if (subscribed.Count == 0) return;
        foreach (var data in events)
        {
            var messageId = NewMessageId();
            var payload = JsonSerializer.Serialize(new { type, timestamp = now, data }, Json);
            foreach (var endpoint in subscribed)
            {
                db.WebhookMessages.Add(new WebhookMessage
                {
                    MessageId = messageId,
                    EndpointId = endpoint,
                    Type = type,
                    Payload = payload,
                    CreatedAt = now,
                    Status = WebhookMessageStatus.Pending,
                    NextAttemptAt = now,
                });
            }
        }
    }

    /// <summary>msg_ and 24 hexadecimal characters: unique per event, the same on every retry.</summary>
    private static string NewMessageId() =>
        "msg_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}

using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Webhooks;

/// <summary>What a person or an integration sends to add or change an endpoint. Null leaves a field as it is (on a change).</summary>
public sealed record WebhookEndpointRequest(string? Url, string? Description, IReadOnlyList<string>? Events, bool? Enabled = null);

/// <summary>An endpoint as lists and /v1 show it.</summary>
public sealed record WebhookEndpointView(
    string Id, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, string? DisabledReason,
    DateTime? FailingSince, DateTime CreatedAt);

/// <summary>One delivery of one event to one endpoint, as the delivery log shows it.</summary>
public sealed record WebhookDeliveryView(
    long Id, string MessageId, string Type, DateTime CreatedAt, WebhookMessageStatus Status, int Attempts,
    DateTime? LastAttemptAt, int? LastStatusCode, int? LastDurationMs, DateTime? NextAttemptAt, string? LastResponse);

/// <summary>
/// Adds, changes, disables and deletes endpoints (write:webhooks), lists them and their deliveries (read:webhooks),
/// sends a test event and retries a delivery now. URLs are checked here, and again on every delivery.
/// </summary>
public sealed class WebhookEndpointService(PortalDbContext db, ActorAccess access, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const int MaxEndpoints = 50;

    public async Task<Outcome<IReadOnlyList<WebhookEndpointView>>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadWebhooks, cancellationToken) is { } refused) return refused;
        var rows = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        return Outcome<IReadOnlyList<WebhookEndpointView>>.Of([.. rows.Select(View)]);
    }

    public async Task<Outcome<WebhookEndpointView>> GetAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadWebhooks, cancellationToken) is { } refused) return refused;
        return await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken) is { } endpoint
            ? View(endpoint) : NotFound(id);
    }

    public async Task<Outcome<WebhookEndpointView>> CreateAsync(Actor actor, WebhookEndpointRequest request, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The actor first: someone who may not add endpoints learns nothing about URLs or how their hosts resolve.
        var allowed = await access.RequireAsync(db, actor, ScopeCatalog.WriteWebhooks, cancellationToken);
        if (allowed.Value is not { } acting) return allowed.Refusal!;
        var (url, description, events, problem) = await CheckAsync(request, null, cancellationToken);
        if (problem is not null) return Refusal.Invalid(problem);
        if (await db.WebhookEndpoints.CountAsync(cancellationToken) >= MaxEndpoints) return Refusal.Conflict($"There can be at most {MaxEndpoints} endpoints.");
        var now = time.GetUtcNow().UtcDateTime;
        var endpoint = new WebhookEndpoint
        {
            Id = "ep_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)),
            Url = url!, Description = description, Events = string.Join(' ', events!), CreatedAt = now, Enabled = request.Enabled ?? true,
            // The admin CLI acts for no one; a key acts for its creator.
            CreatedById = acting.StaffId ?? "system",
        };
        db.WebhookEndpoints.Add(endpoint);
        db.Record(actor, AuditActions.WebhookEndpointCreated, now, AuditTargets.Webhook, endpoint.Id, $"{endpoint.Url} for {endpoint.Events}{(endpoint.Enabled ? "" : ", disabled")}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return View(endpoint);
    }

    /// <summary>Changes what the request names; enabling again clears the reason it was disabled and its failing streak.</summary>
    public async Task<Outcome<WebhookEndpointView>> UpdateAsync(Actor actor, string id, WebhookEndpointRequest request, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await access.CheckAsync(db, actor, ScopeCatalog.WriteWebhooks, cancellationToken) is { } refused) return refused;
        if (await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, cancellationToken) is not { } endpoint) return NotFound(id);
        var (url, description, events, problem) = await CheckAsync(request, id, cancellationToken);
        if (problem is not null) return Refusal.Invalid(problem);
        if (url is not null) endpoint.Url = url;
        if (request.Description is not null) endpoint.Description = description;
        if (events is not null) endpoint.Events = string.Join(' ', events);
        if (request.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            endpoint.Enabled = enabled;
            endpoint.DisabledReason = null;
            endpoint.FailingSince = null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        db.Record(actor, AuditActions.WebhookEndpointUpdated, now, AuditTargets.Webhook, id, $"{endpoint.Url} for {endpoint.Events}{(endpoint.Enabled ? "" : ", disabled")}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return View(endpoint);
    }

    /// <summary>Deletes the endpoint and its delivery log; nothing more is sent to it.</summary>
    public async Task<Outcome<bool>> DeleteAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await access.CheckAsync(db, actor, ScopeCatalog.WriteWebhooks, cancellationToken) is { } refused) return refused;
        if (await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken) == 0) return NotFound(id);
        await db.WebhookMessages.Where(m => m.EndpointId == id).ExecuteDeleteAsync(cancellationToken);
        db.Record(actor, AuditActions.WebhookEndpointDeleted, time.GetUtcNow().UtcDateTime, AuditTargets.Webhook, id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Queues a webhook.test event for this endpoint alone, whatever it subscribes to.</summary>
    public async Task<Outcome<bool>> SendTestAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await access.CheckAsync(db, actor, ScopeCatalog.WriteWebhooks, cancellationToken) is { } refused) return refused;
        if (await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken) is not { } endpoint) return NotFound(id);
        if (!endpoint.Enabled) return Refusal.Conflict("The endpoint is disabled: enable it to send it events.");
        await db.PublishAsync(WebhookEvents.WebhookTest, new { EndpointId = id, Message = "A test event from DiversitySync." }, time.GetUtcNow().UtcDateTime, cancellationToken, onlyEndpoint: id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The endpoint's deliveries, newest first.</summary>
    public async Task<Outcome<IReadOnlyList<WebhookDeliveryView>>> DeliveriesAsync(Actor actor, string id, int limit = 50, CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadWebhooks, cancellationToken) is { } refused) return refused;
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id, cancellationToken)) return NotFound(id);
        var rows = await db.WebhookMessages.AsNoTracking().Where(m => m.EndpointId == id).OrderByDescending(m => m.Id).Take(Math.Clamp(limit, 1, 200))
            .Select(m => new WebhookDeliveryView(m.Id, m.MessageId, m.Type, m.CreatedAt, m.Status, m.Attempts, m.LastAttemptAt, m.LastStatusCode,
                m.LastDurationMs, m.Status == WebhookMessageStatus.Pending ? m.NextAttemptAt : null, m.LastResponse))
            .ToListAsync(cancellationToken);
        return rows;
    }

    /// <summary>Makes a delivery due now: a failed one gets one more round of retries. Same webhook-id.</summary>
    public async Task<Outcome<bool>> RetryAsync(Actor actor, string id, long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await access.CheckAsync(db, actor, ScopeCatalog.WriteWebhooks, cancellationToken) is { } refused) return refused;
        var updated = await db.WebhookMessages.Where(m => m.Id == deliveryId && m.EndpointId == id && m.Status != WebhookMessageStatus.Delivered)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, WebhookMessageStatus.Pending).SetProperty(m => m.NextAttemptAt, time.GetUtcNow().UtcDateTime)
                .SetProperty(m => m.Attempts, 0), cancellationToken);
        if (updated == 0) return Refusal.NotFound("There is no undelivered delivery with that id on this endpoint.");
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<(string? Url, string? Description, IReadOnlyList<string>? Events, string? Problem)> CheckAsync(
        WebhookEndpointRequest request, string? existing, CancellationToken cancellationToken)
    {
        var allowPrivate = options.Value.AllowPrivateNetworks;
        var url = request.Url?.Trim();
        if (existing is null || url is not null)
        {
            if (WebhookUrls.Problem(url, allowPrivate) is { } wrong) return (null, null, null, wrong);
            if (await WebhookUrls.ResolveProblemAsync(new Uri(url!), allowPrivate, cancellationToken) is { } refusedHost) return (null, null, null, refusedHost);
        }
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (description?.Length > WebhookEndpoint.DescriptionMaxLength || (description is not null && WebhookUrls.HasHiddenCharacters(description)))
        {
            return (null, null, null, $"The description can be at most {WebhookEndpoint.DescriptionMaxLength} characters, without control or bidirectional-text characters.");
        }
        IReadOnlyList<string>? events = null;
        if (existing is null || request.Events is not null)
        {
            var asked = (request.Events ?? []).Select(e => e?.Trim() ?? "").Where(e => e.Length > 0).Distinct().ToList();
            if (asked.Count == 0) return (null, null, null, $"Choose at least one event: {string.Join(", ", WebhookEvents.All)}.");
            if (asked.FirstOrDefault(e => !WebhookEvents.All.Contains(e)) is { } unknown)
            {
                return (null, null, null, $"Unknown event {EchoedInput.Clean(unknown, 60)}; events are {string.Join(", ", WebhookEvents.All)}.");
            }
            events = [.. WebhookEvents.All.Where(asked.Contains)];
        }
        return (url, description, events, null);
    }

    private static Refusal NotFound(string id) => Refusal.NotFound($"There is no webhook endpoint {EchoedInput.Clean(id, 40)}.");

    internal static WebhookEndpointView View(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, e.Events.Split(' ', StringSplitOptions.RemoveEmptyEntries), e.Enabled, e.DisabledReason, e.FailingSince, e.CreatedAt);
}

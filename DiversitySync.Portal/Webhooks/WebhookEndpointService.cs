using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// What a person or an integration sends to add or change an endpoint. Null leaves a field as it is (on a change).
/// </summary>
public sealed record WebhookEndpointRequest(string? Url, string? Description, IReadOnlyList<string>? Events,
    bool? Enabled = null);

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
public sealed class WebhookEndpointService(PortalDbContext db, ActorAccess access, UnitOfWork writes,
    IOptions<WebhookOptions> options)
{
    public const int MaxEndpoints = 50;

    public async Task<Outcome<IReadOnlyList<WebhookEndpointView>>> ListAsync(Actor actor,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadWebhooks, cancellationToken) is { } refused)
        {
            return refused;
        }
        var rows = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        return Outcome<IReadOnlyList<WebhookEndpointView>>.Of([.. rows.Select(View)]);
    }

    public async Task<Outcome<WebhookEndpointView>> GetAsync(Actor actor, string id,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadWebhooks, cancellationToken) is { } refused)
        {
            return refused;
        }
        return await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id,
            cancellationToken) is { } endpoint
            ? View(endpoint) : NotFound(id);
    }

    public Task<Outcome<WebhookEndpointView>> CreateAsync(Actor actor, WebhookEndpointRequest request,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<WebhookEndpointView>(actor, ScopeCatalog.WriteWebhooks, async change =>
        {
            // Only now the URL and its DNS: someone who may not add endpoints learns nothing about how hosts resolve.
            var (url, description, events, problem) = await CheckAsync(request, null, cancellationToken);
            if (problem is not null) return Refusal.Invalid(problem);
            if (await db.WebhookEndpoints.CountAsync(cancellationToken) >= MaxEndpoints)
            {
                return Refusal.Conflict($"There can be at most {MaxEndpoints} endpoints.");
            }
            var endpoint = new WebhookEndpoint
            {
                Id = "ep_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)),
                Url = url!,
                Description = description,
                Events = string.Join(' ', events!),
                CreatedAt = change.Now,
                Enabled = request.Enabled ?? true,
                // The admin CLI acts for no one; a key acts for its creator.
                CreatedById = change.Access.StaffId ?? "system",
            };
            db.WebhookEndpoints.Add(endpoint);
            change.Audit(AuditActions.WebhookEndpointCreated, AuditTargets.Webhook, endpoint.Id, Describe(endpoint));
            return View(endpoint);
        }, cancellationToken);

    /// <summary>
    /// Changes what the request names; enabling again clears the reason it was disabled and its failing streak.
    /// </summary>
    public Task<Outcome<WebhookEndpointView>> UpdateAsync(Actor actor, string id, WebhookEndpointRequest request,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<WebhookEndpointView>(actor, ScopeCatalog.WriteWebhooks, async change =>
        {
            if (await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, cancellationToken) is not { } endpoint)
            {
                return NotFound(id);
            }
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
            change.Audit(AuditActions.WebhookEndpointUpdated, AuditTargets.Webhook, id, Describe(endpoint));
            return View(endpoint);
        }, cancellationToken);

    /// <summary>Deletes the endpoint and its delivery log; nothing more is sent to it.</summary>
    public Task<Outcome<bool>> DeleteAsync(Actor actor, string id, CancellationToken cancellationToken = default) =>
        writes.RunAsync<bool>(actor, ScopeCatalog.WriteWebhooks, async change =>
        {
            if (await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                return NotFound(id);
            }
            await db.WebhookMessages.Where(m => m.EndpointId == id).ExecuteDeleteAsync(cancellationToken);
            change.Audit(AuditActions.WebhookEndpointDeleted, AuditTargets.Webhook, id);
            return true;
        }, cancellationToken);

    /// <summary>Queues a webhook.test event for this endpoint alone, whatever it subscribes to.</summary>
    public Task<Outcome<bool>> SendTestAsync(Actor actor, string id, CancellationToken cancellationToken = default) =>
        writes.RunAsync<bool>(actor, ScopeCatalog.WriteWebhooks, async change =>
        {
            if (await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id,
                cancellationToken) is not { } endpoint)
            {
                return NotFound(id);
            }
            if (!endpoint.Enabled) return Refusal.Conflict("The endpoint is disabled: enable it to send it events.");
            await change.PublishAsync(WebhookEvents.WebhookTest,
                new
                {
                    EndpointId = id,
                    Message = "A test event from DiversitySync."
                }, cancellationToken, onlyEndpoint: id);
            change.Audit(AuditActions.WebhookTestSent, AuditTargets.Webhook, id);
            return true;
        }, cancellationToken);

    /// <summary>The endpoint's deliveries, newest first.</summary>
    public async Task<Outcome<IReadOnlyList<WebhookDeliveryView>>> DeliveriesAsync(Actor actor, string id,
        int limit = 50, CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadWebhooks, cancellationToken) is { } refused)
        {
            return refused;
        }
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id, cancellationToken)) return NotFound(id);
        var rows = await db.WebhookMessages.AsNoTracking().Where(m => m.EndpointId == id).OrderByDescending(m => m.Id)
            .Take(Math.Clamp(limit, 1, 200))
            .Select(m => new WebhookDeliveryView(m.Id, m.MessageId, m.Type, m.CreatedAt, m.Status, m.Attempts,
                m.LastAttemptAt, m.LastStatusCode,
                m.LastDurationMs, m.Status == WebhookMessageStatus.Pending ? m.NextAttemptAt : null, m.LastResponse))
            .ToListAsync(cancellationToken);
        return rows;
    }

    /// <summary>Makes a delivery due now: a failed one gets one more round of retries. Same webhook-id.</summary>
    public Task<Outcome<bool>> RetryAsync(Actor actor, string id, long deliveryId,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<bool>(actor, ScopeCatalog.WriteWebhooks, async change =>
        {
            var updated = await db.WebhookMessages.Where(m => m.Id == deliveryId && m.EndpointId == id
                && m.Status != WebhookMessageStatus.Delivered)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status,
                    WebhookMessageStatus.Pending).SetProperty(m => m.NextAttemptAt, change.Now)
                    .SetProperty(m => m.Attempts, 0), cancellationToken);
            if (updated == 0)
            {
                return Refusal.NotFound("There is no undelivered delivery with that id on this endpoint.");
            }
            change.Audit(AuditActions.WebhookDeliveryRetried, AuditTargets.Webhook, id, $"delivery {deliveryId}");
            return true;
        }, cancellationToken);

    private async Task<(string? Url, string? Description, IReadOnlyList<string>? Events, string? Problem)> CheckAsync(
        WebhookEndpointRequest request, string? existing, CancellationToken cancellationToken)
    {
        var allowPrivate = options.Value.AllowPrivateNetworks;
        var url = request.Url?.Trim();
        if (existing is null || url is not null)
        {
            if (WebhookUrls.Problem(url, allowPrivate) is { } wrong) return (null, null, null, wrong);
            if (await WebhookUrls.ResolveProblemAsync(new Uri(url!), allowPrivate,
                cancellationToken) is { } refusedHost)
            {
                return (null, null, null, refusedHost);
            }
        }
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (description?.Length > WebhookEndpoint.DescriptionMaxLength
            || (description is not null && WebhookUrls.HasHiddenCharacters(description)))
        {
            return (null, null, null,
                $"The description can be at most {WebhookEndpoint.DescriptionMaxLength} characters, without control " +
                $"or bidirectional-text characters.");
        }
        IReadOnlyList<string>? events = null;
        if (existing is null || request.Events is not null)
        {
            var asked = (request.Events ?? []).Select(e => e?.Trim()
                ?? "").Where(e => e.Length > 0).Distinct().ToList();
            if (asked.Count == 0)
            {
                return (null, null, null, $"Choose at least one event: {string.Join(", ", WebhookEvents.All)}.");
            }
            if (asked.FirstOrDefault(e => !WebhookEvents.All.Contains(e)) is { } unknown)
            {
                return (null, null, null,
                    $"Unknown event {EchoedInput.Clean(unknown, 60)}; events are " +
                    $"{string.Join(", ", WebhookEvents.All)}.");
            }
            events = [.. WebhookEvents.All.Where(asked.Contains)];
        }
        return (url, description, events, null);
    }

    private static string Describe(WebhookEndpoint e) => $"{e.Url} for {e.Events}{(e.Enabled ? "" : ", disabled")}";

    private static Refusal NotFound(string id) => Refusal.NotFound($"There is no webhook endpoint " +
        $"{EchoedInput.Clean(id, 40)}.");

    internal static WebhookEndpointView View(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, e.Events.Split(' ', StringSplitOptions.RemoveEmptyEntries), e.Enabled,
            e.DisabledReason, e.FailingSince, e.CreatedAt);
}

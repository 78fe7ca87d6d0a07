using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// Sends the outbox. Each pass claims due deliveries with a conditional update (so instances never send the same
/// attempt twice), leases them for the timeout plus 5 s (so a crash's attempts are retried, at least once, with the
/// same webhook-id), and starts each attempt on its own: at most <see cref="PerEndpoint"/> at once per endpoint, and a
/// slow endpoint holds only its own slots, never another endpoint's deliveries. Each attempt records its answer.
/// Failures
/// are retried after 5 s, 5 min, 30 min, 2 h, 8 h and 24 h, then the delivery has failed; an endpoint whose every
/// delivery has failed for 3 days is disabled, with the reason. Also runs the expiry reminders once a minute.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time,
    ILogger<WebhookDispatcher> log)
    : BackgroundService
{
    public const string ClientName = "webhooks";
    public const int PerEndpoint = 3;
    private const int Batch = 32;
    public static readonly IReadOnlyList<TimeSpan> Backoff =
        [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
            TimeSpan.FromHours(8), TimeSpan.FromHours(24)];
    public static readonly TimeSpan DisableAfter = TimeSpan.FromDays(3);

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.TimeoutSeconds + 5);

    /// <summary>
    /// Attempts in flight per endpoint in this instance: an endpoint with <see cref="PerEndpoint"/> gets no more.
    /// </summary>
    private readonly ConcurrentDictionary<string, int> inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// Released whenever an attempt ends, so the next claim for that endpoint need not wait for the tick.
    /// </summary>
    private readonly SemaphoreSlim attemptEnded = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Dispatch) return;
        long? lastReminders = null; // a timestamp of the time provider: elapsed time, whatever the wall clock does
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Sends run on their own: an endpoint that never answers holds only its own slots, never this loop.
                await StartDueAsync(stoppingToken);
                if (lastReminders is not { } last || time.GetElapsedTime(last) >= TimeSpan.FromMinutes(1))
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<KeyExpiryReminders>().RunAsync(stoppingToken);
                    lastReminders = time.GetTimestamp();
                }
                await attemptEnded.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(exception, "Webhook delivery pass failed; retrying in a second.");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// One pass, waited for to the end: claims what is due, sends it, records the answers. Gives how many were sent.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var started = await StartDueAsync(cancellationToken);
        await Task.WhenAll(started);
        return started.Count;
    }

    /// <summary>
    /// Claims due deliveries of endpoints with a free slot, oldest first, and starts each attempt without waiting for
    /// it. Each attempt records its own answer and frees its endpoint's slot when it ends.
    /// </summary>
    private async Task<List<Task>> StartDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var busy = inFlight.Where(e => e.Value >= PerEndpoint).Select(e => e.Key).ToList();
        var due = await db.WebhookMessages.AsNoTracking()
            .Where(m => m.Status == WebhookMessageStatus.Pending && m.NextAttemptAt <= now
                && !busy.Contains(m.EndpointId))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Take(Batch)
            .Select(m => new { m.Id, m.EndpointId, m.NextAttemptAt }).ToListAsync(cancellationToken);
        var claimed = new List<long>();
        foreach (var candidate in due)
        {
            if (!TryTakeSlot(candidate.EndpointId)) continue;
            var leased = await db.WebhookMessages
                .Where(m => m.Id == candidate.Id && m.Status == WebhookMessageStatus.Pending
                    && m.NextAttemptAt == candidate.NextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now + Lease).SetProperty(m => m.Attempts,
                    m => m.Attempts + 1)
                    .SetProperty(m => m.LastAttemptAt, now), cancellationToken);
            if (leased == 1) claimed.Add(candidate.Id);
            else FreeSlot(candidate.EndpointId);
        }
        if (claimed.Count == 0) return [];

        var messages = await db.WebhookMessages.AsNoTracking().Where(m => claimed.Contains(m.Id))
            .ToListAsync(cancellationToken);
        var endpointIds = messages.Select(m => m.EndpointId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => endpointIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, cancellationToken);
        var secrets = await scope.ServiceProvider.GetRequiredService<WebhookSecrets>().SigningAsync(cancellationToken);
        return [.. messages.Select(message => AttemptAsync(endpoints.GetValueOrDefault(message.EndpointId), message,
            secrets, cancellationToken))];
    }

    private async Task AttemptAsync(WebhookEndpoint? endpoint, WebhookMessage message, IReadOnlyList<string> secrets,
        CancellationToken cancellationToken)
    {
        try
        {
            var attempt = endpoint is { Enabled: true }
                ? await SendAsync(endpoint, message, secrets, cancellationToken)
                : new Attempt(null, 0, "The endpoint is disabled.");
            log.LogInformation("Webhook {MessageId} to endpoint {EndpointId}: {Outcome} in {DurationMs} ms",
                message.MessageId, message.EndpointId,
                attempt.StatusCode is { } status ? $"HTTP {status}" : "no answer", attempt.DurationMs);
            await RecordAsync(message, attempt, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Its lease runs out and the delivery is tried again: at least once, with the same webhook-id.
            log.LogWarning(exception,
                "Recording webhook {MessageId} to endpoint {EndpointId} failed; it will be retried.", message.MessageId,
                message.EndpointId);
        }
        finally
        {
            FreeSlot(message.EndpointId);
            attemptEnded.Release();
        }
    }

    private bool TryTakeSlot(string endpointId)
    {
        while (true)
        {
            var taken = inFlight.GetOrAdd(endpointId, 0);
            if (taken >= PerEndpoint) return false;
            if (inFlight.TryUpdate(endpointId, taken + 1, taken)) return true;
        }
    }

    private void FreeSlot(string endpointId) => inFlight.AddOrUpdate(endpointId, 0,
        (_, taken) => Math.Max(0, taken - 1));

    private sealed record Attempt(int? StatusCode, int DurationMs, string? Response)
    {
        public bool Succeeded => StatusCode is >= 200 and < 300;
    }

    private async Task<Attempt> SendAsync(WebhookEndpoint endpoint, WebhookMessage message,
        IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(message.Payload, Encoding.UTF8, "application/json"),
            Headers =
            {
                { "webhook-id", message.MessageId },
                { "webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                { "webhook-signature", WebhookSigning.Sign(message.MessageId, timestamp, message.Payload, secrets) },
                { "User-Agent", "DiversitySync-Webhooks/1" },
            },
        };
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request,
                HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadStartAsync(response, timeout.Token);
            return new Attempt((int)response.StatusCode, (int)time.GetElapsedTime(started).TotalMilliseconds, body);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            var why = exception is OperationCanceledException ? $"No answer within {options.Value.TimeoutSeconds} " +
                $"s." : $"Could not connect: {exception.Message}";
            return new Attempt(null, (int)time.GetElapsedTime(started).TotalMilliseconds, Shorten(why));
        }
    }

    /// <summary>
    /// The first characters of the answer, as text: kept for the delivery log, never rendered as HTML.
    /// </summary>
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[WebhookMessage.ResponseMaxLength * 2];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == 0 ? null : Shorten(Encoding.UTF8.GetString(buffer, 0, read));
    }

    /// <summary>
    /// A receiver's answer as the delivery log keeps it: text with its line breaks, within the column.
    /// </summary>
    private static string Shorten(string text) => EchoedInput.Clean(text, WebhookMessage.ResponseMaxLength - 1,
        EchoedCharacters.NoControlsButLines);

    private async Task RecordAsync(WebhookMessage sent, Attempt attempt, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var message = await db.WebhookMessages.SingleOrDefaultAsync(m => m.Id == sent.Id, cancellationToken);
        if (message is null) return; // the endpoint was deleted meanwhile
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == message.EndpointId,
            cancellationToken);
        message.LastStatusCode = attempt.StatusCode;
        message.LastDurationMs = attempt.DurationMs;
        message.LastResponse = attempt.Response;
        if (attempt.Succeeded)
        {
            message.Status = WebhookMessageStatus.Delivered;
            message.NextAttemptAt = null;
            if (endpoint is not null) endpoint.FailingSince = null;
        }
        // Unless "Retry now" reset the delivery while this attempt was in flight: then the answer is logged and the
        // retry's schedule stands.
        else if (message.Attempts == sent.Attempts)
        {
            var retry = sent.Attempts <= Backoff.Count && endpoint is { Enabled: true };
            message.Status = retry ? WebhookMessageStatus.Pending : WebhookMessageStatus.Failed;
            message.NextAttemptAt = retry ? now + Backoff[sent.Attempts - 1] : null;
            if (endpoint is { Enabled: true })
            {
                endpoint.FailingSince ??= now;
                if (now - endpoint.FailingSince >= DisableAfter)
                {
                    endpoint.Enabled = false;
                    endpoint.DisabledReason = $"Disabled after every delivery failed for 3 days (since " +
                        $"{Dates.Minute(endpoint.FailingSince.Value)} UTC). Last: "
                        + (attempt.StatusCode is { } code ? $"HTTP {code}." : attempt.Response);
                    if (endpoint.DisabledReason.Length > 300)
                    {
                        endpoint.DisabledReason = endpoint.DisabledReason[..299] + "…";
                    }
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}

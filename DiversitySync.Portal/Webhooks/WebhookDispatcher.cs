using System.Diagnostics;
using System.Text;
using DiversitySync.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// Sends the outbox. Each pass claims due deliveries with a conditional update (so instances never send the same
/// attempt twice), leases them for the timeout plus 5 s (so a crash's attempts are retried, at least once, with the
/// same webhook-id), sends at most <see cref="PerEndpoint"/> at once per endpoint, and records the answer. Failures
/// are retried after 5 s, 5 min, 30 min, 2 h, 8 h and 24 h, then the delivery has failed; an endpoint whose every
/// delivery has failed for 3 days is disabled, with the reason. Also runs the expiry reminders once a minute.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcher> log)
    : BackgroundService
{
    public const string ClientName = "webhooks";
    public const int PerEndpoint = 3;
    private const int Batch = 32;
    public static readonly IReadOnlyList<TimeSpan> Backoff =
        [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(8), TimeSpan.FromHours(24)];
    public static readonly TimeSpan DisableAfter = TimeSpan.FromDays(3);

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.TimeoutSeconds + 5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Dispatch) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var nextReminders = DateTime.MinValue;
        do
        {
            try
            {
                while (await DispatchDueAsync(stoppingToken) > 0) { }
                if (DateTime.UtcNow >= nextReminders)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<KeyExpiryReminders>().RunAsync(stoppingToken);
                    nextReminders = DateTime.UtcNow.AddMinutes(1);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(exception, "Webhook delivery pass failed; retrying in a second.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: claims what is due, sends it, records the answers. Gives how many were sent.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.WebhookMessages.AsNoTracking()
            .Where(m => m.Status == WebhookMessageStatus.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Take(Batch)
            .Select(m => new { m.Id, m.NextAttemptAt }).ToListAsync(cancellationToken);
        var claimed = new List<long>();
        foreach (var candidate in due)
        {
            var leased = await db.WebhookMessages
                .Where(m => m.Id == candidate.Id && m.Status == WebhookMessageStatus.Pending && m.NextAttemptAt == candidate.NextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now + Lease).SetProperty(m => m.Attempts, m => m.Attempts + 1)
                    .SetProperty(m => m.LastAttemptAt, now), cancellationToken);
            if (leased == 1) claimed.Add(candidate.Id);
        }
        if (claimed.Count == 0) return 0;

        var messages = await db.WebhookMessages.AsNoTracking().Where(m => claimed.Contains(m.Id)).ToListAsync(cancellationToken);
        var endpointIds = messages.Select(m => m.EndpointId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        var secrets = await scope.ServiceProvider.GetRequiredService<WebhookSecrets>().SigningAsync(cancellationToken);
        await Task.WhenAll(messages.GroupBy(m => m.EndpointId).Select(group => Parallel.ForEachAsync(group,
            new ParallelOptions { MaxDegreeOfParallelism = PerEndpoint, CancellationToken = cancellationToken },
            async (message, ct) =>
            {
                var attempt = endpoints.GetValueOrDefault(message.EndpointId) is { Enabled: true } endpoint
                    ? await SendAsync(endpoint, message, secrets, ct)
                    : new Attempt(null, 0, "The endpoint is disabled.");
                await RecordAsync(message, attempt, ct);
            })));
        return messages.Count;
    }

    private sealed record Attempt(int? StatusCode, int DurationMs, string? Response)
    {
        public bool Succeeded => StatusCode is >= 200 and < 300;
    }

    private async Task<Attempt> SendAsync(WebhookEndpoint endpoint, WebhookMessage message, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
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
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadStartAsync(response, timeout.Token);
            return new Attempt((int)response.StatusCode, (int)clock.ElapsedMilliseconds, body);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = exception is OperationCanceledException ? $"No answer within {options.Value.TimeoutSeconds} s." : $"Could not connect: {exception.Message}";
            return new Attempt(null, (int)clock.ElapsedMilliseconds, Shorten(why));
        }
    }

    /// <summary>The first characters of the answer, as text: kept for the delivery log, never rendered as HTML.</summary>
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[WebhookMessage.ResponseMaxLength * 2];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == 0 ? null : Shorten(Encoding.UTF8.GetString(buffer, 0, read));
    }

    private static string Shorten(string text)
    {
        var clean = new string([.. text.Where(c => !char.IsControl(c) || c is '\n' or '\t')]);
        return clean.Length <= WebhookMessage.ResponseMaxLength ? clean : clean[..(WebhookMessage.ResponseMaxLength - 1)] + "…";
    }

    private async Task RecordAsync(WebhookMessage sent, Attempt attempt, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var message = await db.WebhookMessages.SingleOrDefaultAsync(m => m.Id == sent.Id, cancellationToken);
        if (message is null) return; // the endpoint was deleted meanwhile
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == message.EndpointId, cancellationToken);
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
                    endpoint.DisabledReason = $"Disabled after every delivery failed for 3 days (since {Dates.Minute(endpoint.FailingSince.Value)} UTC). Last: "
                        + (attempt.StatusCode is { } code ? $"HTTP {code}." : attempt.Response);
                    if (endpoint.DisabledReason.Length > 300) endpoint.DisabledReason = endpoint.DisabledReason[..299] + "…";
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}

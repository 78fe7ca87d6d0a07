using DiversitySync.Portal.Keys;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Audit;

/// <summary>What one retention pass deleted.</summary>
public sealed record RetentionResult(long HighVolumeEvents, long OtherEvents, long UsageDays, long ScopeUsageDays);

/// <summary>
/// Deletes what is kept only for a while (L-07): the per-request audit events after
/// <see cref="AuditOptions.HighVolumeRetentionDays"/>, every event after <see cref="AuditOptions.RetentionDays"/> when
/// it is set, and the usage counters after <see cref="KeysOptions.UsageRetentionDays"/>. In small batches with pauses
/// between them, so a first pass over years of events never stalls the token path. Several instances running it at
/// once is harmless: each deletes whatever is still there.
/// </summary>
public sealed class AuditRetention(PortalDbContext db, TimeProvider time, IOptions<AuditOptions> audit,
    IOptions<KeysOptions> keys, AuditQueue queue)
{
    /// <summary>
    /// Events written for a request rather than a change: one per token exchange, refusal, introspection, rate-limited
    /// or denied call. The key's counters keep their totals after the events are gone.
    /// </summary>
    public static IReadOnlyList<string> HighVolume { get; } =
    [
        AuditActions.TokenIssued, AuditActions.TokenRefused, AuditActions.TokenIntrospected,
        AuditActions.RateLimited, AuditActions.AuthorizationDenied,
    ];

    /// <summary>
    /// Per-request events enqueued per second above which the request path counts as busy. A handful of callers stay
    /// under it; a sustained load of exchanges is far above it.
    /// </summary>
    public const double BusyEventsPerSecond = 50;

    /// <summary>
    /// How long to rest after a batch that took <paramref name="took"/>: twice as long when the request path is quiet
    /// (a third of a core), twenty times as long while it is busy (under a twentieth), so the pass yields to exchanges
    /// and catches up when they ease. Never less than 5 ms, so that other writers get the lock between batches.
    /// </summary>
    public static TimeSpan RestAfter(TimeSpan took, double eventsPerSecond)
    {
        var rest = took * (eventsPerSecond > BusyEventsPerSecond ? 20 : 2);
        return rest > MinimumRest ? rest : MinimumRest;
    }

    private static readonly TimeSpan MinimumRest = TimeSpan.FromMilliseconds(5);

    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var batch = audit.Value.RetentionBatchSize;
        var seen = (Events: queue.Enqueued, At: time.GetTimestamp());
        // The request path's pace since the last batch ended.
        TimeSpan Rest(TimeSpan took)
        {
            var current = (Events: queue.Enqueued, At: time.GetTimestamp());
            var seconds = Math.Max(time.GetElapsedTime(seen.At, current.At).TotalSeconds, 0.001);
            var perSecond = (current.Events - seen.Events) / seconds;
            seen = current;
            return RestAfter(took, perSecond);
        }
        var highVolumeBefore = now.AddDays(-audit.Value.HighVolumeRetentionDays);
        // Oldest first along the OccurredAt index: each batch starts where the last one stopped.
        var highVolume = await db.AuditEvents
            .Where(e => e.OccurredAt < highVolumeBefore && HighVolume.Contains(e.Action))
            .OrderBy(e => e.OccurredAt).DeleteInBatchesAsync(batch, Rest, time, cancellationToken);
        long other = 0;
        if (audit.Value.RetentionDays is { } days)
        {
            var before = now.AddDays(-days);
            other = await db.AuditEvents.Where(e => e.OccurredAt < before).OrderBy(e => e.OccurredAt)
                .DeleteInBatchesAsync(batch, Rest, time, cancellationToken);
        }
        var firstDayKept = DateOnly.FromDateTime(now).AddDays(-keys.Value.UsageRetentionDays);
        var usageDays = await db.KeyUsageDays.Where(d => d.Day < firstDayKept).OrderBy(d => d.Day)
            .DeleteInBatchesAsync(batch, Rest, time, cancellationToken);
        var scopeDays = await db.KeyScopeUsageDays.Where(d => d.Day < firstDayKept).OrderBy(d => d.Day)
            .DeleteInBatchesAsync(batch, Rest, time, cancellationToken);
        return new RetentionResult(highVolume, other, usageDays, scopeDays);
    }
}

/// <summary>Runs <see cref="AuditRetention"/> every <see cref="AuditOptions.RetentionIntervalMinutes"/>.</summary>
public sealed class AuditRetentionJob(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time,
    ILogger<AuditRetentionJob> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.InScopeEveryAsync(TimeSpan.FromMinutes(options.Value.RetentionIntervalMinutes), time, scopes, logger,
            "The retention pass failed", async (services, cancellationToken) =>
            {
                var result = await services.GetRequiredService<AuditRetention>().RunAsync(cancellationToken);
                if (result != new RetentionResult(0, 0, 0, 0))
                {
                    logger.LogInformation(
                        "Retention deleted {HighVolume} per-request audit events, {Other} other audit events, "
                        + "{UsageDays} usage days and {ScopeUsageDays} scope usage days.",
                        result.HighVolumeEvents, result.OtherEvents, result.UsageDays, result.ScopeUsageDays);
                }
            }, stoppingToken);
}

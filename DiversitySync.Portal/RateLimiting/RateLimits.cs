using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.RateLimiting;

/// <summary>
/// ASP.NET Core's fixed-window limiters, partitioned by client IP or by proven key id. A refusal carries the
/// seconds to wait, for Retry-After.
/// </summary>
public sealed class RateLimits : IDisposable
{
    private static readonly TimeSpan AuditEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, long> lastAudited = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly bool enabled;
    private readonly PartitionedRateLimiter<string> tokenPerIp, tokenPerKey, failedTokenPerIp, apiPerKey;

    public RateLimits(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        this.time = time;
        var o = options.Value;
        enabled = o.Enabled;
        tokenPerIp = Create(o.TokenPerIp);
        tokenPerKey = Create(o.TokenPerKey);
        failedTokenPerIp = Create(o.FailedTokenPerIp);
        apiPerKey = Create(o.ApiPerKey);
    }

    /// <summary>Null: go ahead. Otherwise the seconds to wait.</summary>
    public int? TokenRequest(string clientIp) =>
        Take(tokenPerIp, clientIp, 1) ?? Take(failedTokenPerIp, clientIp, 0); // 0 permits: refused only once failures used them up

    public void FailedAuthentication(string clientIp) => Take(failedTokenPerIp, clientIp, 1);

    public int? TokenForKey(string keyId) => Take(tokenPerKey, keyId, 1);

    public int? ApiRequest(string keyId) => Take(apiPerKey, keyId, 1);

    /// <summary>
    /// Whether a refusal for this partition should be audited: the first in a minute is, the rest are not, so a
    /// flood of refused requests cannot flood the audit log.
    /// </summary>
    public bool ShouldAudit(string partition)
    {
        var now = time.GetTimestamp();
        if (lastAudited.Count > 10_000) lastAudited.Clear();
        var audit = false;
        lastAudited.AddOrUpdate(partition, _ => { audit = true; return now; }, (_, last) =>
        {
            if (time.GetElapsedTime(last, now) < AuditEvery) return last;
            audit = true;
            return now;
        });
        return audit;
    }

    private int? Take(PartitionedRateLimiter<string> limiter, string partition, int permits)
    {
        if (!enabled) return null;
        using var lease = limiter.AttemptAcquire(partition, permits);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
    }

    private static PartitionedRateLimiter<string> Create(RateLimitOptions.Window window) =>
        PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = window.PermitLimit,
            Window = TimeSpan.FromSeconds(window.WindowSeconds),
            QueueLimit = 0,
        }));

    public void Dispose()
    {
        tokenPerIp.Dispose();
        tokenPerKey.Dispose();
        failedTokenPerIp.Dispose();
        apiPerKey.Dispose();
    }
}

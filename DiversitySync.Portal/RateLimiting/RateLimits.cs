using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using DiversitySync.Portal.Audit;
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
    private readonly AuditQueue audit;
    private readonly bool enabled;
    private readonly PartitionedRateLimiter<string> tokenPerIp, tokenPerKey, failedTokenPerIp, apiPerKey, failedSignInPerIp;

    public RateLimits(IOptions<RateLimitOptions> options, TimeProvider time, AuditQueue audit)
    {
        this.time = time;
        this.audit = audit;
        var o = options.Value;
        enabled = o.Enabled;
        tokenPerIp = Create(o.TokenPerIp);
        tokenPerKey = Create(o.TokenPerKey);
        failedTokenPerIp = Create(o.FailedTokenPerIp);
        apiPerKey = Create(o.ApiPerKey);
        failedSignInPerIp = Create(o.FailedSignInPerIp);
    }

    /// <summary>
    /// Null: go ahead. Otherwise the seconds to wait; the refusal is audited (see <see cref="Refused"/>).
    /// </summary>
    public int? TokenRequest(string clientIp, Func<AuditEvent> refusal) =>
        // 0 permits: refused only once failed authentications have used the allowance up.
        Refused(Take(tokenPerIp, clientIp, 1) ?? Take(failedTokenPerIp, clientIp, 0), $"ip:{clientIp}", refusal);

    /// <summary>
    /// Refused only once this IP's failed client authentications have used the allowance up (introspection,
    /// revocation).
    /// </summary>
    public int? ClientRequest(string clientIp, Func<AuditEvent> refusal) => Refused(Take(failedTokenPerIp, clientIp, 0),
        $"ip:{clientIp}", refusal);

    public void FailedAuthentication(string clientIp) => Take(failedTokenPerIp, clientIp, 1);

    public int? TokenForKey(string keyId, Func<AuditEvent> refusal) => Refused(Take(tokenPerKey, keyId, 1),
        $"token:{keyId}", refusal);

    /// <summary>
    /// Portal sign-in: refused once this IP's failed attempts have used the allowance up (0 permits).
    /// </summary>
    public int? SignIn(string clientIp, Func<AuditEvent> refusal) => Refused(Take(failedSignInPerIp, clientIp, 0),
        $"sign-in:{clientIp}", refusal);

    public void FailedSignIn(string clientIp) => Take(failedSignInPerIp, clientIp, 1);

    public int? ApiRequest(string keyId, Func<AuditEvent> refusal) => Refused(Take(apiPerKey, keyId, 1), $"v1:{keyId}",
        refusal);

    /// <summary>
    /// Audits a refusal (L-01), but only the first for a partition in a minute, so a flood of
    /// refused requests cannot flood the audit log. The event is built only when it is recorded.
    /// </summary>
    private int? Refused(int? wait, string partition, Func<AuditEvent> refusal)
    {
        if (wait is not null) AuditOncePerMinute(partition, refusal);
        return wait;
    }

    /// <summary>
    /// Records the event only if it is the first for <paramref name="partition"/> this minute; builds it only then.
    /// </summary>
    public void AuditOncePerMinute(string partition, Func<AuditEvent> build)
    {
        if (FirstThisMinute(partition)) audit.Enqueue(build());
    }

    private bool FirstThisMinute(string partition)
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
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1,
            (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
    }

    private static PartitionedRateLimiter<string> Create(RateLimitOptions.Window window) =>
        PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(partition,
            _ => new FixedWindowRateLimiterOptions
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
        failedSignInPerIp.Dispose();
    }
}

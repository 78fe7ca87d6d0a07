using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Keys;

/// <summary>One UTC day of use: exchanges that issued a token, exchanges refused, and /v1 calls.</summary>
public sealed record UsageDay(DateOnly Day, int Exchanges, int Refused, int ApiCalls);

/// <summary>A scope of a key: when a call last needed it (null: not in the counters kept), and how often lately.</summary>
public sealed record ScopeUse(string Scope, DateTime? LastUsedAt, int Calls, bool Unused);

/// <summary>
/// A key's use over the last <see cref="Days"/> days: a point per day (zeros included), the totals, refusals by
/// reason, and each of its scopes' last use.
/// </summary>
public sealed record KeyUsageReport(string KeyId, int Days, IReadOnlyList<UsageDay> Series, int Exchanges,
    int Refused, int ApiCalls, IReadOnlyDictionary<string, int> RefusedBy, IReadOnlyList<ScopeUse> Scopes,
    int UnusedDays);

/// <summary>Reads the day counters (read:api_keys): a key's chart and scopes, and all keys' exchanges per day.</summary>
public sealed class KeyUsageQueries(PortalDbContext db, ActorAccess access, TimeProvider time,
    IOptions<ReviewOptions> review, IOptions<KeysOptions> keys)
{
    public int MaxDays => keys.Value.UsageRetentionDays;

    public async Task<Outcome<KeyUsageReport>> ForKeyAsync(Actor actor, string keyId, int days,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        if (DaysRefused(days) is { } invalid) return invalid;
        var scopes = ApiKeyFormat.IsKeyId(keyId)
            ? await db.ApiKeys.Where(k => k.KeyId == keyId).Select(k => k.Scopes).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (scopes is null) return ApiKeyQueries.NoSuchKey(keyId);

        var (first, today) = Window(days);
        var rows = await db.KeyUsageDays.AsNoTracking().Where(d => d.KeyId == keyId && d.Day >= first)
            .ToListAsync(cancellationToken);
        // Unused: no call in the review window, measured to the moment as the key list's filter does.
        var unusedSince = time.GetUtcNow().UtcDateTime.AddDays(-review.Value.UnusedDays);
        var used = await db.KeyScopeUsageDays.AsNoTracking().Where(u => u.KeyId == keyId)
            .GroupBy(u => u.Scope)
            .Select(g => new
            {
                Scope = g.Key,
                Last = g.Max(u => u.LastAt),
                Calls = g.Where(u => u.Day >= first).Sum(u => u.Calls),
                Recent = g.Any(u => u.LastAt > unusedSince),
            })
            .ToDictionaryAsync(u => u.Scope, cancellationToken);
        var byDay = rows.ToDictionary(r => r.Day);
        var series = Days(first, today).Select(day => byDay.TryGetValue(day, out var r)
            ? new UsageDay(day, r.Issued, r.Refused, r.ApiCalls)
            : new UsageDay(day, 0, 0, 0)).ToList();
        var refusedBy = new Dictionary<string, int>
        {
            ["wrong_secret"] = rows.Sum(r => r.RefusedSecret),
            ["revoked"] = rows.Sum(r => r.RefusedRevoked),
            ["expired"] = rows.Sum(r => r.RefusedExpired),
            ["creator_not_active"] = rows.Sum(r => r.RefusedCreator),
            ["invalid_scope"] = rows.Sum(r => r.RefusedScope),
            ["rate_limited"] = rows.Sum(r => r.RefusedRateLimited),
            ["ip_not_allowed"] = rows.Sum(r => r.RefusedIp),
        };
        var scopeUses = scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(scope =>
            used.TryGetValue(scope, out var u)
                ? new ScopeUse(scope, u.Last, u.Calls, !u.Recent)
                : new ScopeUse(scope, null, 0, true)).ToList();
        return new KeyUsageReport(keyId, days, series, series.Sum(d => d.Exchanges), series.Sum(d => d.Refused),
            series.Sum(d => d.ApiCalls), refusedBy, scopeUses, review.Value.UnusedDays);
    }

    /// <summary>Every key's exchanges per day: Review's chart.</summary>
    public async Task<Outcome<IReadOnlyList<UsageDay>>> AllKeysAsync(Actor actor, int days,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        if (DaysRefused(days) is { } invalid) return invalid;
        var (first, today) = Window(days);
        var sums = await db.KeyUsageDays.AsNoTracking().Where(d => d.Day >= first).GroupBy(d => d.Day)
            .Select(g => new
            {
                Day = g.Key,
                Issued = g.Sum(d => d.Issued),
                Refused = g.Sum(d => d.RefusedSecret + d.RefusedRevoked + d.RefusedExpired + d.RefusedCreator
                    + d.RefusedScope + d.RefusedRateLimited + d.RefusedIp),
                ApiCalls = g.Sum(d => d.ApiCalls),
            })
            .ToDictionaryAsync(d => d.Day, cancellationToken);
        return Outcome<IReadOnlyList<UsageDay>>.Of([.. Days(first, today).Select(day => sums.TryGetValue(day, out var s)
            ? new UsageDay(day, s.Issued, s.Refused, s.ApiCalls)
            : new UsageDay(day, 0, 0, 0))]);
    }

    private Refusal? DaysRefused(int days) => days >= 1 && days <= MaxDays ? null
        : Refusal.Invalid(new Dictionary<string, List<string>> { ["days"] = [$"days must be between 1 and {MaxDays}."] });

    /// <summary>The last <paramref name="days"/> UTC days, today included.</summary>
    private (DateOnly First, DateOnly Today) Window(int days)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return (today.AddDays(1 - days), today);
    }

    private static IEnumerable<DateOnly> Days(DateOnly first, DateOnly last)
    {
        for (var day = first; day <= last; day = day.AddDays(1)) yield return day;
    }
}

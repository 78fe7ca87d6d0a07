using System.Collections.Concurrent;

namespace DiversitySync.Portal.Keys;

/// <summary>Why an exchange of a known key was refused, as the day counters tell them apart.</summary>
public enum ExchangeRefusal
{
    WrongSecret,
    Revoked,
    Expired,
    Creator,
    Scope,
    RateLimited,
    IpNotAllowed,
}

/// <summary>
/// Per key and UTC day, in memory until the usage writer flushes them: token exchanges issued and refused (by
/// reason), /v1 calls, and per scope the calls that needed it. A count is an interlocked add to an entry that stays
/// in place, and a flush takes each entry's counts with an exchange: a count lands in this flush or the next, never
/// in none, and a request costs no database write.
/// </summary>
public sealed class KeyUsageCounts
{
    private sealed class Day
    {
        public int Issued, ApiCalls, RefusedSecret, RefusedRevoked, RefusedExpired, RefusedCreator, RefusedScope,
            RefusedRateLimited, RefusedIp;
    }

    private sealed class ScopeDay
    {
        public int Calls;
        public long LastTicks;
    }

    private readonly ConcurrentDictionary<(string KeyId, DateOnly Day), Day> days = new();
    private readonly ConcurrentDictionary<(string KeyId, string Scope, DateOnly Day), ScopeDay> scopes = new();

    public void Issued(string keyId, DateTime at) => Interlocked.Increment(ref DayOf(keyId, at).Issued);

    public void Refused(string keyId, DateTime at, ExchangeRefusal reason)
    {
        var day = DayOf(keyId, at);
        switch (reason)
        {
            case ExchangeRefusal.WrongSecret: Interlocked.Increment(ref day.RefusedSecret); break;
            case ExchangeRefusal.Revoked: Interlocked.Increment(ref day.RefusedRevoked); break;
            case ExchangeRefusal.Expired: Interlocked.Increment(ref day.RefusedExpired); break;
            case ExchangeRefusal.Creator: Interlocked.Increment(ref day.RefusedCreator); break;
            case ExchangeRefusal.Scope: Interlocked.Increment(ref day.RefusedScope); break;
            case ExchangeRefusal.RateLimited: Interlocked.Increment(ref day.RefusedRateLimited); break;
            default: Interlocked.Increment(ref day.RefusedIp); break;
        }
    }

    /// <summary>A /v1 call (<paramref name="apiCall"/>) or another call that needed <paramref name="scope"/>.</summary>
    public void Called(string keyId, DateTime at, string? scope, bool apiCall = true)
    {
        if (apiCall) Interlocked.Increment(ref DayOf(keyId, at).ApiCalls);
        if (scope is not null) AddScope(keyId, scope, at, 1);
    }

    private void AddScope(string keyId, string scope, DateTime at, int calls)
    {
        var used = scopes.GetOrAdd((keyId, scope, DateOnly.FromDateTime(at)), _ => new ScopeDay());
        Interlocked.Add(ref used.Calls, calls);
        for (var last = Volatile.Read(ref used.LastTicks); at.Ticks > last;
            last = Volatile.Read(ref used.LastTicks))
        {
            if (Interlocked.CompareExchange(ref used.LastTicks, at.Ticks, last) == last) break;
        }
    }

    private Day DayOf(string keyId, DateTime at) => days.GetOrAdd((keyId, DateOnly.FromDateTime(at)), _ => new Day());

    /// <summary>
    /// Takes what was counted since the last take. Entries of days before yesterday are dropped once taken: no
    /// request still counts on them.
    /// </summary>
    public (List<KeyUsageDay> Days, List<KeyScopeUsageDay> Scopes) Take(DateTime now)
    {
        var stale = DateOnly.FromDateTime(now).AddDays(-1);
        var takenDays = new List<KeyUsageDay>();
        foreach (var ((keyId, date), day) in days)
        {
            var row = new KeyUsageDay
            {
                KeyId = keyId,
                Day = date,
                Issued = Interlocked.Exchange(ref day.Issued, 0),
                ApiCalls = Interlocked.Exchange(ref day.ApiCalls, 0),
                RefusedSecret = Interlocked.Exchange(ref day.RefusedSecret, 0),
                RefusedRevoked = Interlocked.Exchange(ref day.RefusedRevoked, 0),
                RefusedExpired = Interlocked.Exchange(ref day.RefusedExpired, 0),
                RefusedCreator = Interlocked.Exchange(ref day.RefusedCreator, 0),
                RefusedScope = Interlocked.Exchange(ref day.RefusedScope, 0),
                RefusedRateLimited = Interlocked.Exchange(ref day.RefusedRateLimited, 0),
                RefusedIp = Interlocked.Exchange(ref day.RefusedIp, 0),
            };
            if (row.Issued + row.ApiCalls + row.Refused > 0) takenDays.Add(row);
            if (date < stale) days.TryRemove((keyId, date), out _);
        }
        var takenScopes = new List<KeyScopeUsageDay>();
        foreach (var ((keyId, scope, date), used) in scopes)
        {
            var calls = Interlocked.Exchange(ref used.Calls, 0);
            if (calls > 0)
            {
                takenScopes.Add(new KeyScopeUsageDay
                {
                    KeyId = keyId,
                    Scope = scope,
                    Day = date,
                    Calls = calls,
                    LastAt = new DateTime(Volatile.Read(ref used.LastTicks), DateTimeKind.Utc),
                });
            }
            if (date < stale) scopes.TryRemove((keyId, scope, date), out _);
        }
        return (takenDays, takenScopes);
    }

    /// <summary>A failed write gives its counts back, to be written with the next.</summary>
    public void Return(IEnumerable<KeyUsageDay> taken, IEnumerable<KeyScopeUsageDay> takenScopes)
    {
        foreach (var row in taken)
        {
            var day = days.GetOrAdd((row.KeyId, row.Day), _ => new Day());
            Interlocked.Add(ref day.Issued, row.Issued);
            Interlocked.Add(ref day.ApiCalls, row.ApiCalls);
            Interlocked.Add(ref day.RefusedSecret, row.RefusedSecret);
            Interlocked.Add(ref day.RefusedRevoked, row.RefusedRevoked);
            Interlocked.Add(ref day.RefusedExpired, row.RefusedExpired);
            Interlocked.Add(ref day.RefusedCreator, row.RefusedCreator);
            Interlocked.Add(ref day.RefusedScope, row.RefusedScope);
            Interlocked.Add(ref day.RefusedRateLimited, row.RefusedRateLimited);
            Interlocked.Add(ref day.RefusedIp, row.RefusedIp);
        }
        foreach (var row in takenScopes) AddScope(row.KeyId, row.Scope, row.LastAt, row.Calls);
    }
}

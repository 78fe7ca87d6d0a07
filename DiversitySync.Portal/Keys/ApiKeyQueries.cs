using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Keys;

public enum ApiKeySort
{
    CreatedNewest,
    CreatedOldest,
    LastUsed,
    Name,
    /// <summary>
    /// By key id: the order for a key that may not see created_at (none of its fields decide the order).
    /// </summary>
    KeyId,
}

/// <summary>
/// What the API Keys page, GET /v1/api-keys and the CLI ask for. Every field is optional; the review filters are
/// <see cref="Used"/> (never, within or before N days), <see cref="Expires"/> (never, within N days),
/// <see cref="Created"/> (within or before N days, between dates), <see cref="UnusedScopes"/> (holds a scope it has not
/// used in the review window), <see cref="CreatorStatus"/>, <see cref="WriteScopes"/> (holds any write: scope) and
/// <see cref="BreaksPolicy"/> (usable, and breaking the organisation's key policy as it is now).
/// </summary>
public sealed record ApiKeyQuery(
    string? Search = null,
    string? CreatorId = null,
    ApiKeyEnvironment? Environment = null,
    ApiKeyStatus? Status = null,
    KeyAccess? Access = null,
    ApiKeySort Sort = ApiKeySort.CreatedNewest,
    int Page = 1,
    int PageSize = ApiKeyQuery.DefaultPageSize,
    TimeFilter? Used = null,
    TimeFilter? Expires = null,
    TimeFilter? Created = null,
    bool UnusedScopes = false,
    StaffStatus? CreatorStatus = null,
    bool WriteScopes = false,
    bool BreaksPolicy = false)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;
    public const int SearchMaxLength = 100;
}

/// <summary>A creator in the "All creators" filter, with how many keys they have made.</summary>
public sealed record CreatorCount(string Id, string DisplayName, int Keys);

/// <summary>Reads keys for lists and details (read:api_keys), with last-used times not yet written overlaid.</summary>
public sealed class ApiKeyQueries(PortalDbContext db, ActorAccess access, KeyUsageTracker usage, TimeProvider time,
    IOptions<ReviewOptions> review)
{
    public async Task<Outcome<ApiKeyView>> GetAsync(Actor actor, string keyId,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        return await ViewAsync(keyId, cancellationToken) is { } view ? view : NoSuchKey(keyId);
    }

    /// <summary>An unknown key id and a malformed one: both not found, with what a key id looks like.</summary>
    internal static Refusal NoSuchKey(string keyId) =>
        Refusal.NotFound(ApiKeyFormat.IsKeyId(keyId) ? $"There is no key {keyId}." : "A key id is 16 lowercase hex " +
            "characters.");

    public async Task<Outcome<Paged<ApiKeyView>>> SearchAsync(Actor actor, ApiKeyQuery query,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var keys = await FilterAsync(query, now, cancellationToken);
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, ApiKeyQuery.MaxPageSize);
        var (total, exact) = await Paging.CountAsync(keys, page, size, cancellationToken);
        // The page's key ids first, then their rows: the ids come from an index, so tens of thousands of matches are
        // sorted as index entries, not as whole rows read from the table.
        var nullsSortFirst = db.NullsSortFirst();
        var onPage = Sort(keys, query.Sort, nullsSortFirst).Skip(Paging.Skip(page, size)).Take(size)
            .Select(k => k.KeyId);
        var rows = await Project(Sort(db.ApiKeys.Where(k => onPage.Contains(k.KeyId)), query.Sort, nullsSortFirst))
            .ToListAsync(cancellationToken);
        return new Paged<ApiKeyView>([.. rows.Select(View)], total, page, size, exact);
    }

    /// <summary>
    /// Every matching key in the query's order, read as it is written out (the CSV export, download:api_keys).
    /// </summary>
    public async Task<Outcome<IAsyncEnumerable<ApiKeyView>>> StreamAsync(Actor actor, ApiKeyQuery query,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.DownloadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        var keys = Sort(await FilterAsync(query, time.GetUtcNow().UtcDateTime, cancellationToken), query.Sort,
            db.NullsSortFirst());
        return Outcome<IAsyncEnumerable<ApiKeyView>>.Of(Project(keys).AsAsyncEnumerable().Select(View));
    }

    /// <summary>Keys that Revoke all would revoke.</summary>
    public async Task<Outcome<int>> CountUnrevokedAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        return await db.ApiKeys.CountAsync(k => k.RevokedAt == null, cancellationToken);
    }

    /// <summary>Everyone who has created a key, by name, with their key counts.</summary>
    public async Task<Outcome<IReadOnlyList<CreatorCount>>> CreatorsAsync(Actor actor,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        var counts = await db.ApiKeys.GroupBy(k => k.CreatedById).Select(g => new { Id = g.Key, Keys = g.Count() })
            .ToDictionaryAsync(c => c.Id, c => c.Keys, cancellationToken);
        var names = await db.Users.AsNoTracking().Where(s => counts.Keys.Contains(s.Id)).Select(s => new
        {
            s.Id,
            s.DisplayName
        }).ToListAsync(cancellationToken);
        return Outcome<IReadOnlyList<CreatorCount>>.Of(
            [.. names.Select(n => new CreatorCount(n.Id, n.DisplayName, counts[n.Id])).OrderBy(c => c.DisplayName,
                StringComparer.CurrentCultureIgnoreCase)]);
    }

    /// <summary>Whether this instance saw the key used and has not written it yet.</summary>
    internal bool HasPendingUse(string keyId) => usage.Pending(keyId) is not null;

    /// <summary>For <see cref="ApiKeyService"/>, which has checked its actor: the key as it is now.</summary>
    internal async Task<ApiKeyView?> ViewAsync(string keyId, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.IsKeyId(keyId)) return null;
        var rows = await Project(db.ApiKeys.Where(k => k.KeyId == keyId)).ToListAsync(cancellationToken);
        return rows.Select(View).SingleOrDefault();
    }

    /// <summary>How many keys <paramref name="query"/> matches: the count Review shows is the list it opens.</summary>
    public async Task<Outcome<int>> CountAsync(Actor actor, ApiKeyQuery query,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        return await (await FilterAsync(query, time.GetUtcNow().UtcDateTime, cancellationToken))
            .CountAsync(cancellationToken);
    }

    /// <summary>The keys <paramref name="query"/> matches, unsorted: every list, count and export reads them here.</summary>
    private async Task<IQueryable<ApiKey>> FilterAsync(ApiKeyQuery query, DateTime now,
        CancellationToken cancellationToken)
    {
        var keys = db.ApiKeys.AsNoTracking();
        if (query.BreaksPolicy)
        {
            // Only usable keys: a revoked or expired key breaks nothing any more.
            var policy = await KeyPolicyService.CurrentAsync(db, cancellationToken);
            keys = keys.Where(ApiKey.LiveAt(now)).Where(policy.BreachedBy());
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLowerInvariant();
            var keyIdTerm = ApiKeyFormat.WithoutPrefix(term);
            var contains = SqlLike.Contains(term);
            var startsWith = SqlLike.StartsWith(keyIdTerm);
            keys = keys.Where(k => EF.Functions.Like(k.NameForSearch, contains, SqlLike.Escape)
                || EF.Functions.Like(k.KeyId, startsWith, SqlLike.Escape));
        }
        if (query.CreatorId is not null) keys = keys.Where(k => k.CreatedById == query.CreatorId);
        if (query.Environment is { } environment) keys = keys.Where(k => k.Environment == environment);
        if (query.Access is { } access) keys = keys.Where(k => k.Access == access);
        if (query.CreatorStatus is { } creatorStatus)
        {
            // By the creators' ids, so each creator's keys come from the creator index instead of a join read per key.
            var creators = db.Users.Where(s => s.Status == creatorStatus).Select(s => s.Id);
            keys = keys.Where(k => creators.Contains(k.CreatedById));
        }
        if (query.WriteScopes) keys = keys.Where(k => k.HoldsWriteScope);
        if (query.Used is { } used) keys = keys.Where(UsedFilter(used, now));
        if (query.Expires is { } expires) keys = keys.Where(ExpiresFilter(expires, now));
        if (query.Created is { } created) keys = keys.Where(CreatedFilter(created, now));
        if (query.UnusedScopes)
        {
            // A key made yesterday has not had the chance: its scopes count as idle only from when it was made.
            var since = now.AddDays(-review.Value.UnusedDays);
            keys = keys.Where(k => k.ScopesIdleSince <= since);
        }
        var soon = now + ApiKeyStatuses.ExpiringSoonWindow;
        return query.Status switch
        {
            ApiKeyStatus.Revoked => keys.Where(k => k.RevokedAt != null),
            ApiKeyStatus.Replaced => keys.Where(k => k.RevokedAt == null && k.ReplacedByKeyId != null),
            // A replaced key's expiry is the end of its grace: it is listed as replaced, not as expired or expiring.
            ApiKeyStatus.Expired => keys.Where(k => k.RevokedAt == null && k.ReplacedByKeyId == null
                && k.ExpiresAt <= now),
            ApiKeyStatus.ExpiringSoon => keys.Where(k => k.RevokedAt == null && k.ReplacedByKeyId == null
                && k.ExpiresAt > now && k.ExpiresAt <= soon),
            // "Active" as a filter means usable: it includes the keys that are expiring soon.
            ApiKeyStatus.Active => keys.Where(ApiKey.LiveAt(now)),
            _ => keys,
        };
    }

    /// <summary>
    /// Never used; used within the last N days; or not used for N days or more (last used then or before, or never
    /// and made then or before: idle that long either way).
    /// </summary>
    internal static System.Linq.Expressions.Expression<Func<ApiKey, bool>> UsedFilter(TimeFilter used, DateTime now)
    {
        var edge = now.AddDays(-used.Days);
        return used.Kind switch
        {
            TimeFilterKind.Never => k => k.LastUsedAt == null,
            TimeFilterKind.Within => k => k.LastUsedAt > edge,
            _ => k => k.LastUsedAt <= edge || (k.LastUsedAt == null && k.CreatedAt <= edge),
        };
    }

    /// <summary>Never expires, or expires within the next N days (not yet expired, not revoked).</summary>
    private static System.Linq.Expressions.Expression<Func<ApiKey, bool>> ExpiresFilter(TimeFilter expires,
        DateTime now)
    {
        var edge = now.AddDays(expires.Days);
        return expires.Kind == TimeFilterKind.Never
            ? k => k.ExpiresAt == null
            : k => k.RevokedAt == null && k.ExpiresAt > now && k.ExpiresAt <= edge;
    }

    /// <summary>Made within the last N days, more than N days ago, or between two UTC dates (both included).</summary>
    private static System.Linq.Expressions.Expression<Func<ApiKey, bool>> CreatedFilter(TimeFilter created,
        DateTime now)
    {
        var edge = now.AddDays(-created.Days);
        var from = created.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var until = created.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return created.Kind switch
        {
            TimeFilterKind.Within => k => k.CreatedAt >= edge,
            TimeFilterKind.Before => k => k.CreatedAt < edge,
            _ => k => k.CreatedAt >= from && k.CreatedAt < until,
        };
    }

    private static IQueryable<ApiKey> Sort(IQueryable<ApiKey> keys, ApiKeySort sort, bool nullsSortFirst) => sort switch
    {
        ApiKeySort.CreatedOldest => keys.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId),
        // Most recently used first; never-used keys last. SQLite orders NULL below every value, so descending puts
        // them last by itself and both keys descend: one backward index scan. PostgreSQL puts NULLs first when
        // descending, so there they are moved last explicitly.
        ApiKeySort.LastUsed when nullsSortFirst => keys.OrderBy(k => k.LastUsedAt == null)
            .ThenByDescending(k => k.LastUsedAt).ThenByDescending(k => k.KeyId),
        ApiKeySort.LastUsed => keys.OrderByDescending(k => k.LastUsedAt).ThenByDescending(k => k.KeyId),
        ApiKeySort.Name => keys.OrderBy(k => k.NameForSearch).ThenBy(k => k.KeyId),
        ApiKeySort.KeyId => keys.OrderBy(k => k.KeyId),
        _ => keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.KeyId),
    };

    private sealed record Row(ApiKey Key, string CreatorName);

    private IQueryable<Row> Project(IQueryable<ApiKey> keys) =>
        keys.AsNoTracking().Select(k => new Row(k, k.CreatedBy!.DisplayName));

    private ApiKeyView View(Row row)
    {
        var k = row.Key;
        var pending = usage.Pending(k.KeyId);
        var latest = pending is not null && (k.LastUsedAt is null || pending.At > k.LastUsedAt)
            ? pending
            : k.LastUsedAt is { } at ? new KeyUsage(at, k.LastUsedIp, k.LastUsedUserAgent, k.LastUsedFor
                ?? KeyUsage.TokenExchange) : null;
        return new ApiKeyView(
            k.KeyId, k.Name, k.Description, k.Environment,
            ApiKeyStatuses.Of(k.RevokedAt, k.ExpiresAt, k.ReplacedByKeyId, time.GetUtcNow().UtcDateTime),
            [.. k.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            k.Access, KeyFields.FromJson(k.Fields).ByResource,
            k.CreatedAt, new StaffRef(k.CreatedById, row.CreatorName), k.ExpiresAt,
            k.RevokedAt, k.RevokedBy, k.RevocationReason,
            latest?.At, latest?.Ip, latest?.UserAgent, latest?.For, k.ReplacedByKeyId, k.ReplacesKeyId,
            IpAllowlist.FromStored(k.AllowedIps)?.Entries ?? []);
    }
}

/// <summary>The query-string codes for sorting, shared by the API Keys page and GET /v1/api-keys.</summary>
public static class ApiKeySorts
{
    public static readonly IReadOnlyDictionary<string, ApiKeySort> ByCode = new Dictionary<string, ApiKeySort>
    {
        ["created_desc"] = ApiKeySort.CreatedNewest,
        ["created_asc"] = ApiKeySort.CreatedOldest,
        ["last_used"] = ApiKeySort.LastUsed,
        ["name"] = ApiKeySort.Name,
    };

    public static string ToCode(this ApiKeySort sort) => ByCode.First(pair => pair.Value == sort).Key;
}

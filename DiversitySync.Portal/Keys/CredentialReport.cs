using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Keys;

/// <summary>One key in the credential report: who made it, how it stands, and what it has used lately.</summary>
public sealed record CredentialReportRow(
    string KeyId, string Name, ApiKeyEnvironment Environment, ApiKeyStatus Status, KeyAccess Access,
    IReadOnlyList<string> Scopes, StaffRef CreatedBy, StaffStatus CreatorStatus, DateTime CreatedAt,
    DateTime? ExpiresAt, DateTime? LastUsedAt, string? LastUsedIp, int Exchanges30Days, int ApiCalls30Days,
    IReadOnlyList<string> ScopesUsed, IReadOnlyList<string> ScopesUnused);

/// <summary>
/// Every key with its standing and recent use (download:api_keys), as AWS's credential report does for users: read
/// row by row as it is written out, so 100,000 keys take the memory of one.
/// </summary>
public sealed class CredentialReport(PortalDbContext db, ActorAccess access, TimeProvider time,
    IOptions<ReviewOptions> review)
{
    public const int RecentDays = 30;

    public static IReadOnlyList<CsvColumn<CredentialReportRow>> Columns { get; } =
    [
        new("key_id", r => r.KeyId),
        new("name", r => r.Name),
        new("environment", r => r.Environment.ToCode()),
        new("status", r => r.Status.ToCode()),
        new("access", r => r.Access.ToCode()),
        new("scopes", r => string.Join(' ', r.Scopes)),
        new("created_by", r => r.CreatedBy.DisplayName),
        new("creator_status", r => r.CreatorStatus.ToCode()),
        new("created_at", r => Dates.Instant(r.CreatedAt)),
        new("expires_at", r => r.ExpiresAt is { } at ? Dates.Instant(at) : null),
        new("last_used_at", r => r.LastUsedAt is { } at ? Dates.Instant(at) : null),
        new("last_used_ip", r => r.LastUsedIp),
        new("exchanges_30d", r => r.Exchanges30Days.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("api_calls_30d", r => r.ApiCalls30Days.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("scopes_used", r => string.Join(' ', r.ScopesUsed)),
        new("scopes_unused", r => string.Join(' ', r.ScopesUnused)),
    ];

    public async Task<Outcome<IAsyncEnumerable<CredentialReportRow>>> StreamAsync(Actor actor,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.DownloadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        return Outcome<IAsyncEnumerable<CredentialReportRow>>.Of(RowsAsync(time.GetUtcNow().UtcDateTime,
            cancellationToken));
    }

    private const int KeysPerRead = 500;

    /// <summary>
    /// In key id order, 500 keys a read (keyset paging, so every read is an index seek), each read followed by the
    /// counters of just those keys: memory holds one read's rows, however many keys there are.
    /// </summary>
    private async IAsyncEnumerable<CredentialReportRow> RowsAsync(DateTime now,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var recent = DateOnly.FromDateTime(now).AddDays(1 - RecentDays);
        var unusedSince = now.AddDays(-review.Value.UnusedDays);
        var unusedSinceDay = DateOnly.FromDateTime(unusedSince);
        string? after = null;
        while (true)
        {
            var keys = await db.ApiKeys.AsNoTracking()
                .Where(k => after == null || string.Compare(k.KeyId, after) > 0)
                .OrderBy(k => k.KeyId).Take(KeysPerRead)
                .Select(k => new
                {
                    k.KeyId,
                    k.Name,
                    k.Environment,
                    k.RevokedAt,
                    k.ExpiresAt,
                    k.ReplacedByKeyId,
                    k.Access,
                    k.Scopes,
                    k.CreatedById,
                    Creator = k.CreatedBy!.DisplayName,
                    CreatorStatus = k.CreatedBy.Status,
                    k.CreatedAt,
                    k.LastUsedAt,
                    k.LastUsedIp,
                })
                .ToListAsync(cancellationToken);
            if (keys.Count == 0) yield break;
            var ids = keys.Select(k => k.KeyId).ToList();
            var sums = await db.KeyUsageDays.AsNoTracking().Where(d => ids.Contains(d.KeyId) && d.Day >= recent)
                .GroupBy(d => d.KeyId)
                .Select(g => new { KeyId = g.Key, Issued = g.Sum(d => d.Issued), Calls = g.Sum(d => d.ApiCalls) })
                .ToDictionaryAsync(d => d.KeyId, cancellationToken);
            var used = (await db.KeyScopeUsageDays.AsNoTracking()
                    .Where(u => ids.Contains(u.KeyId) && u.Day >= unusedSinceDay && u.LastAt > unusedSince)
                    .Select(u => new { u.KeyId, u.Scope }).Distinct().ToListAsync(cancellationToken))
                .ToLookup(u => u.KeyId, u => u.Scope);
            foreach (var k in keys)
            {
                var scopes = k.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var usedScopes = used[k.KeyId].ToHashSet(StringComparer.Ordinal);
                var sum = sums.GetValueOrDefault(k.KeyId);
                yield return new CredentialReportRow(k.KeyId, k.Name, k.Environment,
                    ApiKeyStatuses.Of(k.RevokedAt, k.ExpiresAt, k.ReplacedByKeyId, now), k.Access, scopes,
                    new StaffRef(k.CreatedById, k.Creator), k.CreatorStatus, k.CreatedAt, k.ExpiresAt, k.LastUsedAt,
                    k.LastUsedIp, sum?.Issued ?? 0, sum?.Calls ?? 0, [.. scopes.Where(usedScopes.Contains)],
                    [.. scopes.Where(s => !usedScopes.Contains(s))]);
            }
            after = ids[^1];
        }
    }
}

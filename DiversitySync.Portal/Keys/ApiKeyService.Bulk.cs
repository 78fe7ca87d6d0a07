using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Keys;

/// <summary>One key of a bulk action: done, or refused with the reason a single action would give.</summary>
public sealed record BulkItem(string KeyId, bool Done, string? Refused = null);

public sealed record BulkOutcome(IReadOnlyList<BulkItem> Items)
{
    public int Done => Items.Count(i => i.Done);
    public int Refused => Items.Count - Done;
}

public sealed partial class ApiKeyService
{
    /// <summary>At most this many keys in one bulk action: a larger selection is narrowed first.</summary>
    public const int BulkLimit = 1000;

    /// <summary>
    /// Sets (or clears, with null) when a key stops working. Only a key that still works: a revoked or expired key
    /// stays so. Its expiry reminders start again for the new date.
    /// </summary>
    public Task<Outcome<ApiKeyView>> SetExpiryAsync(string keyId, DateTime? expiresAt, Actor actor,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<ApiKeyView>(actor, ScopeCatalog.WriteApiKeys, async change =>
        {
            if (!ApiKeyFormat.IsKeyId(keyId)) return ApiKeyQueries.NoSuchKey(keyId);
            if (ExpiryProblem(expiresAt, change.Now) is { } problem)
            {
                return Refusal.Invalid(new Dictionary<string, List<string>> { ["expiresAt"] = [problem] });
            }
            var at = expiresAt is { } e ? AsUtc(e) : (DateTime?)null;
            var before = await db.ApiKeys.Where(k => k.KeyId == keyId)
                .Select(k => new
                {
                    k.ExpiresAt,
                    k.RevokedAt,
                    k.ReplacedByKeyId,
                    k.Environment,
                    k.CreatedAt,
                    k.HoldsWriteScope,
                    k.AllowedIps
                }).SingleOrDefaultAsync(cancellationToken);
            if (before is null) return ApiKeyQueries.NoSuchKey(keyId);
            // K-12: a changed expiry keeps the key policy's lifetime, counted from when the key was made.
            if (await PolicyRefusalAsync("expiresAt", before.Environment, before.CreatedAt, at, before.HoldsWriteScope,
                    IpAllowlist.FromStored(before.AllowedIps), cancellationToken) is { } breach)
            {
                return breach;
            }
            if (before is { RevokedAt: null, ReplacedByKeyId: { } successor })
            {
                return Refusal.Conflict($"Key {keyId} was replaced by {successor}: its expiry is the end of its " +
                    "grace period.");
            }
            // Conditional on the key still working, and on the expiry read above: a concurrent change wins or loses
            // whole, and the audit event says what it replaced.
            var revision = await change.RevisionAsync(cancellationToken);
            var now = change.Now;
            var changed = await db.ApiKeys
                .Where(k => k.KeyId == keyId && k.RevokedAt == null && k.ReplacedByKeyId == null
                    && k.ExpiresAt == before.ExpiresAt)
                .Where(ApiKey.LiveAt(now))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, at).SetProperty(k => k.Revision, revision),
                    cancellationToken);
            if (changed == 0)
            {
                return before.RevokedAt is not null
                    ? Refusal.Conflict($"Key {keyId} is revoked: its expiry cannot change.")
                    : before.ExpiresAt <= now
                        ? Refusal.Conflict($"Key {keyId} has expired: create a new key instead.")
                        : Refusal.Conflict($"Key {keyId} changed meanwhile: look again and retry.");
            }
            await db.KeyReminders.Where(r => r.KeyId == keyId).ExecuteDeleteAsync(cancellationToken);
            change.Audit(AuditActions.KeyExpiryChanged, AuditTargets.Key, keyId,
                $"expires {Describe(before.ExpiresAt)} → {Describe(at)}");
            return (await queries.ViewAsync(keyId, cancellationToken))!;
        }, cancellationToken);

    private static string Describe(DateTime? expiresAt) => expiresAt is { } at ? Dates.Instant(at) : "never";

    /// <summary>
    /// Revokes each key as <see cref="RevokeAsync"/> would, one change and one audit event per key: what one key
    /// refuses (already revoked, unknown) is said for that key, and the rest are done.
    /// </summary>
    public Task<Outcome<BulkOutcome>> RevokeManyAsync(IReadOnlyList<string> keyIds, Actor actor, string? reason,
        CancellationToken cancellationToken = default) =>
        EachAsync(keyIds, actor, id => RevokeAsync(id, actor, reason, cancellationToken), cancellationToken);

    /// <summary>Sets each key's expiry as <see cref="SetExpiryAsync"/> would, key by key.</summary>
    public Task<Outcome<BulkOutcome>> SetExpiryManyAsync(IReadOnlyList<string> keyIds, DateTime? expiresAt,
        Actor actor, CancellationToken cancellationToken = default) =>
        EachAsync(keyIds, actor, id => SetExpiryAsync(id, expiresAt, actor, cancellationToken), cancellationToken);

    /// <summary>The keys a list filter matches, for "all N matching": at most <see cref="BulkLimit"/>.</summary>
    public async Task<Outcome<IReadOnlyList<string>>> MatchingAsync(ApiKeyQuery query, Actor actor,
        CancellationToken cancellationToken = default)
    {
        var total = await queries.CountAsync(actor, query, cancellationToken);
        if (total.Refusal is { } refused) return refused;
        if (total.Value > BulkLimit)
        {
            return Refusal.Invalid($"{total.Value:N0} keys match: narrow the filters to at most {BulkLimit:N0} " +
                "for one bulk action.");
        }
        var page = await queries.SearchAsync(actor, query with
        {
            Sort = ApiKeySort.KeyId,
            Page = 1,
            PageSize = ApiKeyQuery.MaxPageSize
        }, cancellationToken);
        var ids = new List<string>();
        for (var p = 1; page.Value is { } rows && rows.Items.Count > 0; p++)
        {
            ids.AddRange(rows.Items.Select(k => k.KeyId));
            if (ids.Count >= rows.Total) break;
            page = await queries.SearchAsync(actor, query with
            {
                Sort = ApiKeySort.KeyId,
                Page = p + 1,
                PageSize = ApiKeyQuery.MaxPageSize
            }, cancellationToken);
        }
        return page.Refusal is { } lost ? lost : Outcome<IReadOnlyList<string>>.Of(ids);
    }

    private async Task<Outcome<BulkOutcome>> EachAsync(IReadOnlyList<string> keyIds, Actor actor,
        Func<string, Task<Outcome<ApiKeyView>>> one, CancellationToken cancellationToken)
    {
        var distinct = keyIds.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0) return Refusal.Invalid(Field("keyIds", "Choose at least one key."));
        if (distinct.Count > BulkLimit)
        {
            return Refusal.Invalid(Field("keyIds", $"At most {BulkLimit:N0} keys at once; {distinct.Count:N0} were " +
                "sent."));
        }
        // Once for the whole request, so that an actor who may not act is told once, not once per key.
        if (await access.CheckAsync(db, actor, ScopeCatalog.WriteApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        var items = new List<BulkItem>(distinct.Count);
        foreach (var keyId in distinct)
        {
            var done = await one(keyId);
            items.Add(new BulkItem(keyId, done.Succeeded, done.Refusal?.Message));
        }
        return new BulkOutcome(items);
    }

    private static Dictionary<string, List<string>> Field(string name, string message) => new() { [name] = [message] };
}

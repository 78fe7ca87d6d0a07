using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DiversitySync.Portal.Data;

/// <summary>
/// Adds counts to the day rows in one statement per batch of rows (INSERT … ON CONFLICT DO UPDATE, which SQLite and
/// PostgreSQL both speak): instances add to the same row without reading it first, so none of them loses a count.
/// Table and column names come from the model.
/// </summary>
public static class KeyUsageCounterWrites
{
    private const int RowsPerStatement = 200;

    public static async Task AddAsync(this PortalDbContext db, IReadOnlyList<KeyUsageDay> days,
        IReadOnlyList<KeyScopeUsageDay> scopes, CancellationToken cancellationToken)
    {
        var dayType = db.Model.FindEntityType(typeof(KeyUsageDay))!;
        string[] counted =
        [
            nameof(KeyUsageDay.Issued), nameof(KeyUsageDay.ApiCalls), nameof(KeyUsageDay.RefusedSecret),
            nameof(KeyUsageDay.RefusedRevoked), nameof(KeyUsageDay.RefusedExpired), nameof(KeyUsageDay.RefusedCreator),
            nameof(KeyUsageDay.RefusedScope), nameof(KeyUsageDay.RefusedRateLimited), nameof(KeyUsageDay.RefusedIp),
        ];
        foreach (var chunk in days.Chunk(RowsPerStatement))
        {
            await UpsertAsync(db, dayType, [nameof(KeyUsageDay.KeyId), nameof(KeyUsageDay.Day)], counted, [],
                [.. chunk.Select(d => new object[]
                {
                    d.KeyId, d.Day, d.Issued, d.ApiCalls, d.RefusedSecret, d.RefusedRevoked, d.RefusedExpired,
                    d.RefusedCreator, d.RefusedScope, d.RefusedRateLimited, d.RefusedIp,
                })], cancellationToken);
        }
        var scopeType = db.Model.FindEntityType(typeof(KeyScopeUsageDay))!;
        foreach (var chunk in scopes.Chunk(RowsPerStatement))
        {
            await UpsertAsync(db, scopeType,
                [nameof(KeyScopeUsageDay.KeyId), nameof(KeyScopeUsageDay.Scope), nameof(KeyScopeUsageDay.Day)],
                [nameof(KeyScopeUsageDay.Calls)], [nameof(KeyScopeUsageDay.LastAt)],
                [.. chunk.Select(d => new object[] { d.KeyId, d.Scope, d.Day, d.Calls, Stored(d.LastAt) })],
                cancellationToken);
        }
        // One row per key and scope in a statement: PostgreSQL refuses to update a row twice in one upsert.
        var lastUseType = db.Model.FindEntityType(typeof(KeyScopeLastUse))!;
        var lastUses = scopes.GroupBy(d => (d.KeyId, d.Scope))
            .Select(g => new object[] { g.Key.KeyId, g.Key.Scope, Stored(g.Max(d => d.LastAt)) }).ToList();
        foreach (var chunk in lastUses.Chunk(RowsPerStatement))
        {
            await UpsertAsync(db, lastUseType, [nameof(KeyScopeLastUse.KeyId), nameof(KeyScopeLastUse.Scope)], [],
                [nameof(KeyScopeLastUse.LastAt)], chunk, cancellationToken);
        }
        string[] touched = [.. scopes.Select(d => d.KeyId).Distinct()];
        foreach (var chunk in touched.Chunk(RowsPerStatement))
        {
            await db.ApiKeys.Where(k => chunk.Contains(k.KeyId)).ExecuteUpdateAsync(set =>
                set.SetProperty(k => k.ScopesIdleSince, ScopesIdleSince(db)), cancellationToken);
        }
    }

    /// <summary>
    /// <see cref="ApiKey.ScopesIdleSince"/> from the key's last-use rows: a key has a row only for scopes it holds
    /// and has used, so fewer rows than scopes means one has never been used (idle since the key was made).
    /// </summary>
    private static System.Linq.Expressions.Expression<Func<ApiKey, DateTime>> ScopesIdleSince(PortalDbContext db) =>
        k => db.KeyScopeLastUses.Count(u => u.KeyId == k.KeyId) < k.Scopes.Length - k.Scopes.Replace(" ", "").Length + 1
            ? k.CreatedAt
            : db.KeyScopeLastUses.Where(u => u.KeyId == k.KeyId).Min(u => u.LastAt);

    /// <summary>As <see cref="UtcDateTimeConverter"/> stores it, so that the rows compare alike.</summary>
    private static DateTime Stored(DateTime at) =>
        (DateTime)new UtcDateTimeConverter().ConvertToProvider(at)!;

    private static Task UpsertAsync(PortalDbContext db, IEntityType type, string[] keys, string[] added,
        string[] latest, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        string Column(string property) =>
            "\"" + type.FindProperty(property)!.GetColumnName(table)! + "\"";
        var qualified = "\"" + type.GetTableName() + "\"";
        string[] columns = [.. keys.Concat(added).Concat(latest).Select(Column)];
        var values = string.Join(", ", rows.Select((_, r) =>
            "(" + string.Join(", ", columns.Select((_, c) => $"{{{r * columns.Length + c}}}")) + ")"));
        var set = string.Join(", ",
            added.Select(Column).Select(c => $"{c} = {qualified}.{c} + excluded.{c}").Concat(latest.Select(Column)
                .Select(c => $"{c} = CASE WHEN excluded.{c} > {qualified}.{c} THEN excluded.{c} ELSE {qualified}.{c} END")));
        var sql = $"INSERT INTO {qualified} ({string.Join(", ", columns)}) VALUES {values} " +
            $"ON CONFLICT ({string.Join(", ", keys.Select(Column))}) DO UPDATE SET {set}";
        return db.Database.ExecuteSqlRawAsync(sql, rows.SelectMany(r => r), cancellationToken);
    }
}

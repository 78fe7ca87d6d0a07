using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Keys;

/// <summary>
/// What authentication needs to know about a key. Holds the hash, never the key. <paramref name="Replaced"/>: rolled,
/// so that once its grace ends a refusal says "replaced" rather than "expired".
/// </summary>
public sealed record KeyEntry(
    string KeyId, byte[] SecretHash, ApiKeyEnvironment Environment, string Name, FrozenSet<string> Scopes,
    string CreatorId, DateTime? ExpiresAt, DateTime? RevokedAt, long Revision, KeyFields Fields, bool Replaced,
    IpAllowlist? AllowedIps)
{
    /// <summary>Whether a request from <paramref name="address"/> may use the key (its IP allowlist, if any).</summary>
    public bool AllowsFrom(System.Net.IPAddress? address) => AllowedIps?.Allows(address) ?? true;
}

public sealed record CreatorEntry(string Id, string DisplayName, StaffStatus Status, FrozenSet<string> Permissions);

/// <summary>
/// The in-memory copy of every key's and creator's standing, so that /oauth/token and /v1 never query the
/// database per request (and an unknown key id costs no query either). Writers in this process apply their
/// change after commit; changes made by other processes arrive through <see cref="ChangeFeed"/>.
/// </summary>
public sealed class KeyRegistry(StaffPermissions permissions) : IStoreChangeListener
{
    private readonly ConcurrentDictionary<string, KeyEntry> keys = new(StringComparer.Ordinal);
    private volatile FrozenDictionary<string, CreatorEntry> creators = FrozenDictionary<string, CreatorEntry>.Empty;

    public KeyEntry? FindKey(string keyId) => keys.GetValueOrDefault(keyId);

    public CreatorEntry? FindCreator(string staffId) => creators.GetValueOrDefault(staffId);

    /// <summary>
    /// Keeps whichever of the two versions is newer, so a slow reader never resurrects a revoked key.
    /// </summary>
    public void Apply(KeyEntry entry) =>
        keys.AddOrUpdate(entry.KeyId, entry, (_, existing) => existing.Revision > entry.Revision ? existing : entry);

    /// <summary>
    /// Whether the key may be used now, judged on its own state and its creator's (<see cref="AccessRules.Judge"/>).
    /// </summary>
    public KeyRefusal Judge(KeyEntry key, DateTime now, out CreatorEntry? creator)
    {
        creator = FindCreator(key.CreatorId);
        return AccessRules.Judge(key.RevokedAt, key.ExpiresAt, creator?.Status, now);
    }

    /// <summary>What the key may do now (<see cref="AccessRules.KeyScopes"/>).</summary>
    public static FrozenSet<string> EffectiveScopes(KeyEntry key,
        CreatorEntry creator) => AccessRules.KeyScopes(key.Scopes, creator.Permissions);

    public async Task CatchUpAsync(PortalDbContext db, long sinceRevision, CancellationToken cancellationToken)
    {
        var changed = db.ApiKeys.AsNoTracking().Where(k => k.Revision > sinceRevision)
            .Select(k => new
            {
                k.KeyId,
                k.SecretHash,
                k.Environment,
                k.Name,
                k.Scopes,
                k.CreatedById,
                k.ExpiresAt,
                k.RevokedAt,
                k.Revision,
                k.Fields,
                k.ReplacedByKeyId,
                k.AllowedIps
            })
            .AsAsyncEnumerable();
        await foreach (var k in changed.WithCancellation(cancellationToken))
        {
            Apply(new KeyEntry(k.KeyId, k.SecretHash, k.Environment, k.Name, Scope.SetOf(k.Scopes), k.CreatedById,
                k.ExpiresAt, k.RevokedAt, k.Revision, KeyFields.FromJson(k.Fields), k.ReplacedByKeyId is not null,
                IpAllowlist.FromStored(k.AllowedIps)));
        }
        // Staff are few: reload them whole, since a role change touches no staff row.
        var held = await permissions.OfEveryoneAsync(db, cancellationToken);
        var staff = await db.Users.AsNoTracking().Select(s => new
        {
            s.Id,
            s.DisplayName,
            s.Status
        }).ToListAsync(cancellationToken);
        creators = staff.ToFrozenDictionary(
            s => s.Id,
            s => new CreatorEntry(s.Id, s.DisplayName, s.Status, held.GetValueOrDefault(s.Id)
                ?? FrozenSet<string>.Empty),
            StringComparer.Ordinal);
    }
}

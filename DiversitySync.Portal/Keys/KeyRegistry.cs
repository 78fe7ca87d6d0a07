using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Keys;

/// <summary>What authentication needs to know about a key. Holds the hash, never the key.</summary>
public sealed record KeyEntry(
    string KeyId, byte[] SecretHash, ApiKeyEnvironment Environment, string Name, FrozenSet<string> Scopes,
    string CreatorId, DateTime? ExpiresAt, DateTime? RevokedAt, long Revision, KeyFields Fields)
{
    public static KeyEntry From(ApiKey key) => new(
        key.KeyId, key.SecretHash, key.Environment, key.Name, ScopeSet(key.Scopes), key.CreatedById, key.ExpiresAt, key.RevokedAt, key.Revision,
        KeyFields.FromJson(key.Fields));

    public static FrozenSet<string> ScopeSet(string scopes) =>
        scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}

public sealed record CreatorEntry(string Id, string DisplayName, StaffStatus Status, FrozenSet<string> Permissions);

/// <summary>Why a key may not be used. The token endpoint answers all of these alike; the audit log tells them apart.</summary>
public enum KeyRefusal
{
    None,
    MalformedKey,
    ClientIdMismatch,
    UnknownKey,
    WrongSecret,
    Revoked,
    Expired,
    CreatorArchived,
    CreatorNotActive,
}

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

    /// <summary>Keeps whichever of the two versions is newer, so a slow reader never resurrects a revoked key.</summary>
    public void Apply(KeyEntry entry) =>
        keys.AddOrUpdate(entry.KeyId, entry, (_, existing) => existing.Revision > entry.Revision ? existing : entry);

    /// <summary>Whether the key may be used now, judged on its own state and its creator's.</summary>
    public KeyRefusal Judge(KeyEntry key, DateTime now, out CreatorEntry? creator)
    {
        creator = FindCreator(key.CreatorId);
        if (key.RevokedAt is not null) return KeyRefusal.Revoked;
        if (key.ExpiresAt <= now) return KeyRefusal.Expired;
        if (creator?.Status == StaffStatus.Archived) return KeyRefusal.CreatorArchived;
        if (creator?.Status != StaffStatus.Active) return KeyRefusal.CreatorNotActive;
        return KeyRefusal.None;
    }

    /// <summary>What the key may do now: its own scopes, cut down to what its creator holds today.</summary>
    /// <remarks>Usually the creator still holds them all: then the key's own set, with no set built per request.</remarks>
    public static FrozenSet<string> EffectiveScopes(KeyEntry key, CreatorEntry creator) =>
        key.Scopes.All(creator.Permissions.Contains)
            ? key.Scopes
            : key.Scopes.Where(creator.Permissions.Contains).ToFrozenSet(StringComparer.Ordinal);

    public async Task CatchUpAsync(PortalDbContext db, long sinceRevision, CancellationToken cancellationToken)
    {
        var changed = db.ApiKeys.AsNoTracking().Where(k => k.Revision > sinceRevision)
            .Select(k => new { k.KeyId, k.SecretHash, k.Environment, k.Name, k.Scopes, k.CreatedById, k.ExpiresAt, k.RevokedAt, k.Revision, k.Fields })
            .AsAsyncEnumerable();
        await foreach (var k in changed.WithCancellation(cancellationToken))
        {
            Apply(new KeyEntry(k.KeyId, k.SecretHash, k.Environment, k.Name, KeyEntry.ScopeSet(k.Scopes), k.CreatedById, k.ExpiresAt, k.RevokedAt, k.Revision, KeyFields.FromJson(k.Fields)));
        }
        // Staff are few: reload them whole, since a role change touches no staff row.
        var held = await permissions.OfEveryoneAsync(db, cancellationToken);
        var staff = await db.Users.AsNoTracking().Select(s => new { s.Id, s.DisplayName, s.Status }).ToListAsync(cancellationToken);
        creators = staff.ToFrozenDictionary(
            s => s.Id,
            s => new CreatorEntry(s.Id, s.DisplayName, s.Status, held.GetValueOrDefault(s.Id) ?? FrozenSet<string>.Empty),
            StringComparer.Ordinal);
    }
}

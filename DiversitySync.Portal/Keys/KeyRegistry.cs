using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Keys;

public sealed record CreatorEntry(string Id, string DisplayName, StaffStatus Status, FrozenSet<string> Permissions);

/// <summary>
/// The in-memory copy of every key's and creator's standing, so that /oauth/token and /v1 never query the
/// database per request (and, once every key is read, an unknown key id costs no query either). Writers in this
/// process apply their change after commit; changes made by other processes arrive through <see cref="ChangeFeed"/>.
/// Compact, since it holds every key: under 200 bytes a key (<see cref="KeyEntry"/>), what keys share held once
/// (<see cref="KeyShape"/>).
/// At start-up every key is read in the background, so that a million keys do not hold up the server: until then a
/// key it has not reached yet is read on its own when presented (<see cref="ReadAsync"/>).
/// </summary>
public sealed class KeyRegistry(
    StaffPermissions permissions, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime,
    ILogger<KeyRegistry> logger) : IStoreChangeListener, IDisposable
{
    private readonly ConcurrentDictionary<ulong, KeyEntry> keys = new();
    private readonly ConcurrentDictionary<StoredShape, KeyShape> shapes = new();
    private readonly CancellationTokenSource stopping = new();
    private volatile FrozenDictionary<string, CreatorEntry> creators = FrozenDictionary<string, CreatorEntry>.Empty;
    private const int ManyKeys = 100_000;
    private static readonly Task<bool> NotStarted = Task.FromResult(false);
    private volatile Task<bool>? loading;

    /// <summary>Whether every stored key has been read since start.</summary>
    public bool IsLoaded => loading is { IsCompletedSuccessfully: true, Result: true };

    /// <summary>The background read of every key: true once done, false if it failed (it is tried again).</summary>
    public Task<bool> Loading => loading ?? NotStarted;

    public KeyEntry? FindKey(string keyId) => KeyEntry.IdOf(keyId) is { } id ? keys.GetValueOrDefault(id) : null;

    public CreatorEntry? FindCreator(string staffId) => creators.GetValueOrDefault(staffId);

    /// <summary>
    /// A key as read from the database. Keeps whichever of the two versions is newer, so a slow reader (the background
    /// read of every key, say) never resurrects a revoked key.
    /// </summary>
    public void Apply(StoredKey key)
    {
        if (KeyEntry.IdOf(key.KeyId) is not { } id) return; // not a key id anyone can present
        var entry = new KeyEntry(id, key, Shape(key));
        keys.AddOrUpdate(id, static (_, entry) => entry,
            static (_, existing, entry) => existing.Revision > entry.Revision ? existing : entry, entry);
    }

    /// <summary>
    /// The shared part of a key, parsed once per distinct stored form rather than once per key: a million keys made by
    /// a few people with a few scope sets hold a few shapes.
    /// </summary>
    private KeyShape Shape(StoredKey key) => shapes.GetOrAdd(
        new StoredShape(key.Environment, key.Scopes, key.CreatorId, key.Fields, key.AllowedIps),
        static stored => new KeyShape(stored.Environment, Scope.SetOf(stored.Scopes), stored.CreatorId,
            KeyFields.FromJson(stored.Fields), IpAllowlist.FromStored(stored.AllowedIps)));

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
        // Everything (first, or again after a failed read): in the background. Later changes are applied as they
        // come meanwhile; the newer revision of a key wins whichever read is slower.
        if (sinceRevision < 0 || loading is { IsCompleted: true, Result: false })
        {
            // On a thread of its own: seconds of reading at a million keys must not hold a thread-pool thread.
            loading = Task.Factory.StartNew(ReadEveryKey, CancellationToken.None, TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }
        else
        {
            await ApplyAsync(db.ApiKeys.Where(k => k.Revision > sinceRevision), cancellationToken);
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

    /// <summary>
    /// Until every key has been read: the one key presented, from the database, so that it works at once after a
    /// restart. Does nothing once every key is in memory.
    /// </summary>
    public async Task ReadAsync(string keyId, CancellationToken cancellationToken)
    {
        if (IsLoaded || KeyEntry.IdOf(keyId) is null) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await ApplyAsync(db.ApiKeys.Where(k => k.KeyId == keyId), cancellationToken);
    }

    private bool ReadEveryKey()
    {
        try
        {
            // Once the server has started: the rest of start-up goes first, so requests are served sooner.
            WaitHandle.WaitAny([lifetime.ApplicationStarted.WaitHandle, stopping.Token.WaitHandle]);
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var read = 0;
            foreach (var key in Stored(db.ApiKeys).AsEnumerable())
            {
                stopping.Token.ThrowIfCancellationRequested();
                Apply(key);
                read++;
            }
            // Reading a million keys leaves hundreds of megabytes of garbage that nothing else will allocate enough to
            // collect soon: give that memory back to the system now, once.
            if (read >= ManyKeys)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            return true;
        }
        catch (Exception exception)
        {
            if (!stopping.IsCancellationRequested) logger.LogWarning(exception, "Could not read every key; will retry");
            return false;
        }
    }

    private async Task ApplyAsync(IQueryable<ApiKey> keysToRead, CancellationToken cancellationToken)
    {
        await foreach (var key in Stored(keysToRead).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            Apply(key);
        }
    }

    private static IQueryable<StoredKey> Stored(IQueryable<ApiKey> keysToRead) => keysToRead.AsNoTracking()
        .Select(k => new StoredKey(k.KeyId, k.SecretHash, k.Environment, k.Scopes, k.CreatedById, k.ExpiresAt,
            k.RevokedAt, k.Revision, k.Fields, k.ReplacedByKeyId != null, k.AllowedIps));

    public void Dispose() => stopping.Cancel(); // stops the background read at shutdown

    private readonly record struct StoredShape(
        ApiKeyEnvironment Environment, string Scopes, string CreatorId, string? Fields, string? AllowedIps);
}

/// <summary>What the registry reads of a key's row: what authentication needs, not its name or description.</summary>
public readonly record struct StoredKey(
    string KeyId, byte[] SecretHash, ApiKeyEnvironment Environment, string Scopes, string CreatorId,
    DateTime? ExpiresAt, DateTime? RevokedAt, long Revision, string? Fields, bool Replaced, string? AllowedIps);

/// <summary>What keys have in common, held once for all the keys that share it.</summary>
public sealed record KeyShape(
    ApiKeyEnvironment Environment, FrozenSet<string> Scopes, string CreatorId, KeyFields Fields,
    IpAllowlist? AllowedIps);

/// <summary>
/// What authentication needs to know about a key. Holds the hash, never the key. <see cref="Replaced"/>: rolled,
/// so that once its grace ends a refusal says "replaced" rather than "expired". One per key in memory, so compact:
/// the id as a number, the hash inline, times as ticks, the rest shared (<see cref="KeyShape"/>); the name is read
/// from the database on the key's first use (<see cref="KeyNames"/>).
/// </summary>
public sealed class KeyEntry
{
    private readonly SecretHash hash;
    private readonly KeyShape shape;
    private readonly long expiresTicks; // 0: never
    private readonly long revokedTicks; // 0: not revoked

    internal KeyEntry(ulong id, StoredKey stored, KeyShape shape)
    {
        Id = id;
        stored.SecretHash.CopyTo(hash);
        this.shape = shape;
        expiresTicks = stored.ExpiresAt?.Ticks ?? 0;
        revokedTicks = stored.RevokedAt?.Ticks ?? 0;
        Revision = stored.Revision;
        Replaced = stored.Replaced;
    }

    public ulong Id { get; }
    public string KeyId => Id.ToString("x16", CultureInfo.InvariantCulture);
    public long Revision { get; }
    public bool Replaced { get; }
    public ApiKeyEnvironment Environment => shape.Environment;
    public FrozenSet<string> Scopes => shape.Scopes;
    public string CreatorId => shape.CreatorId;
    public KeyFields Fields => shape.Fields;
    public DateTime? ExpiresAt => Time(expiresTicks);
    public DateTime? RevokedAt => Time(revokedTicks);

    /// <summary>Set once it has been read (names never change); a changed key is a new entry.</summary>
    internal string? Name { get; set; }

    /// <summary>Compares in constant time (K-03).</summary>
    public bool HasHash(ReadOnlySpan<byte> presented) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(presented, hash);

    /// <summary>Whether a request from <paramref name="address"/> may use the key (its IP allowlist, if any).</summary>
    public bool AllowsFrom(System.Net.IPAddress? address) => shape.AllowedIps?.Allows(address) ?? true;

    /// <summary>The number a key id stands for: its 16 lowercase hex digits, and nothing else, read as one.</summary>
    public static ulong? IdOf(string keyId) => ApiKeyFormat.IsKeyId(keyId)
        ? ulong.Parse(keyId, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
        : null;

    private static DateTime? Time(long ticks) => ticks == 0 ? null : new DateTime(ticks, DateTimeKind.Utc);

    [System.Runtime.CompilerServices.InlineArray(32)]
    private struct SecretHash
    {
        private byte first;
    }
}

using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace DiversitySync.Portal.Keys;

/// <summary>The outcome of presenting an API key: the key and what it may do now, or why it was refused.</summary>
public sealed record KeyAuthentication(KeyRefusal Refusal, string? KeyId, KeyEntry? Key, FrozenSet<string> Scopes)
{
    public bool Succeeded => Refusal == KeyRefusal.None;
}

/// <summary>Checks a presented key against the in-memory registry: format and checksum, hash, then standing.</summary>
public sealed class KeyAuthenticator(KeyRegistry registry, ChangeFeed changes, TimeProvider time)
{
    // Compared against when the key id is unknown, so that case costs the same hashing and comparison work
    // as a known id with a wrong secret (K-03).
    private static readonly byte[] UnknownKeyHash = RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// The key with this id, looking again after a fresh catch-up if this instance has not seen it: a key made
    /// by the CLI or another instance a moment ago works at once, not only after the next poll.
    /// </summary>
    /// <param name="arrived">When the request arrived (<see cref="ChangeFeed.Now"/>).</param>
    public async Task<KeyEntry?> FindKeyAsync(string keyId, long arrived, CancellationToken cancellationToken)
    {
        if (registry.FindKey(keyId) is { } key) return key;
        await CatchUpAsync(keyId, arrived, cancellationToken);
        return registry.FindKey(keyId);
    }

    /// <summary>
    /// What this instance may not have seen yet: changes since the request arrived, and, while the registry is still
    /// reading every key after start-up, the presented key itself.
    /// </summary>
    private async Task CatchUpAsync(string keyId, long arrived, CancellationToken cancellationToken)
    {
        try
        {
            await changes.CatchUpSinceAsync(arrived, cancellationToken);
            await registry.ReadAsync(keyId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The database cannot be read: what this instance knows stands; the change feed reports the fault.
        }
    }

    private static bool Matches(byte[] presented, [NotNullWhen(true)] KeyEntry? key)
    {
        if (key is not null) return key.HasHash(presented);
        CryptographicOperations.FixedTimeEquals(presented, UnknownKeyHash); // the work a known id's comparison does
        return false;
    }

    /// <param name="presentedKey">The full key as sent.</param>
    /// <param name="clientId">The OAuth client_id when one was sent: it must be the key's own id.</param>
    /// <param name="arrived">When the request arrived (<see cref="ChangeFeed.Now"/>).</param>
    public async Task<KeyAuthentication> AuthenticateAsync(string presentedKey, string? clientId, long arrived,
        CancellationToken cancellationToken)
    {
        if (ApiKeyFormat.Parse(presentedKey) is not { } parsed)
        {
            return Refused(KeyRefusal.MalformedKey, clientId is not null
                && ApiKeyFormat.IsKeyId(clientId) ? clientId : null);
        }
        if (clientId is not null && clientId != parsed.KeyId)
        {
            return Refused(KeyRefusal.ClientIdMismatch, parsed.KeyId);
        }

        // An unknown id and a known id with a wrong secret take the same path (K-03): hash once, compare, and on a
        // miss look again after a catch-up (the key may have been made elsewhere a moment ago). The catch-up is
        // what costs time; doing it on both keeps the two indistinguishable.
        var presented = ApiKeyFormat.Hash(parsed.Value);
        var key = registry.FindKey(parsed.KeyId);
        if (!Matches(presented, key))
        {
            await CatchUpAsync(parsed.KeyId, arrived, cancellationToken);
            key = registry.FindKey(parsed.KeyId);
            if (!Matches(presented, key))
            {
                return Refused(key is null ? KeyRefusal.UnknownKey : KeyRefusal.WrongSecret, parsed.KeyId);
            }
        }

        var refusal = registry.Judge(key, time.GetUtcNow().UtcDateTime, out var creator);
        return refusal == KeyRefusal.None
            ? new KeyAuthentication(KeyRefusal.None, key.KeyId, key, KeyRegistry.EffectiveScopes(key, creator!))
            : Refused(refusal, key.KeyId) with { Key = key };
    }

    private static KeyAuthentication Refused(KeyRefusal refusal, string? keyId) => new(refusal, keyId, null,
        FrozenSet<string>.Empty);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Tokens;

/// <summary>What a validated access token says, kept so the same token is not parsed and verified again.</summary>
public sealed record ValidatedToken(string KeyId, IReadOnlyList<string> Scopes, DateTime ExpiresAt);

/// <summary>
/// Validated access tokens by their exact text: an integration sends the same token for up to 15 minutes, and
/// RSA verification is most of what a /v1 request costs. Keyed by the whole string, so JWT malleability cannot
/// reach it (any other spelling is validated in full). Entries end at exp + skew, and all of them when the
/// signing keys change. The key's status is not cached here: it is checked on every request.
/// </summary>
public sealed class AccessTokenCache(SigningKeyStore keys, IOptions<TokenOptions> options, TimeProvider time)
{
    public const int MaxEntries = 20_000;

    private sealed record Generation(SigningKeySet Keys, ConcurrentDictionary<string, ValidatedToken> Tokens);

    private Generation current = new(null!, new(StringComparer.Ordinal));

    public ValidatedToken? Find(string token)
    {
        var generation = CurrentGeneration();
        if (!generation.Tokens.TryGetValue(token, out var validated)) return null;
        if (time.GetUtcNow().UtcDateTime <= validated.ExpiresAt + TimeSpan.FromSeconds(options.Value.ClockSkewSeconds)) return validated;
        generation.Tokens.TryRemove(token, out _);
        return null;
    }

    public void Add(string token, ValidatedToken validated)
    {
        var tokens = CurrentGeneration().Tokens;
        if (tokens.Count >= MaxEntries) Prune(tokens);
        tokens[token] = validated;
    }

    private Generation CurrentGeneration()
    {
        var generation = Volatile.Read(ref current);
        var set = keys.Current;
        if (ReferenceEquals(generation.Keys, set)) return generation;
        var fresh = new Generation(set, new(StringComparer.Ordinal));
        return Interlocked.CompareExchange(ref current, fresh, generation) == generation ? fresh : Volatile.Read(ref current);
    }

    /// <summary>Drops expired entries; if the cache is still full, starts over rather than grow without bound.</summary>
    private void Prune(ConcurrentDictionary<string, ValidatedToken> tokens)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (token, validated) in tokens)
        {
            if (validated.ExpiresAt < now) tokens.TryRemove(token, out _);
        }
        if (tokens.Count >= MaxEntries) tokens.Clear();
    }
}

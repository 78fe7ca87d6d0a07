using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// JwtBearer's token handler for /v1: <see cref="JsonWebTokenHandler"/>, remembering tokens it has validated by
/// their exact text. An integration sends the same token for up to 15 minutes, and RSA verification is most of what
/// a /v1 request costs. Keyed by the whole string, so JWT malleability cannot reach it (any other spelling is
/// validated in full). Entries end at exp + skew, and all of them when the signing keys change. The key's status is
/// not cached: JwtBearer's OnTokenValidated checks it on every request.
/// </summary>
public sealed class CachingTokenHandler(SigningKeyStore keys, IOptions<TokenOptions> options,
    TimeProvider time) : TokenHandler
{
    public const int MaxTokenBytes = 8 * 1024;
    public const int MaxEntries = 20_000;

    private readonly JsonWebTokenHandler inner = new()
    {
        MaximumTokenSizeInBytes = MaxTokenBytes,
        MapInboundClaims = false
    };

    private sealed record Generation(SigningKeySet? Keys, ConcurrentDictionary<string, TokenValidationResult> Tokens);

    private Generation current = new(null, new(StringComparer.Ordinal));

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token,
        TokenValidationParameters validationParameters)
    {
        var generation = CurrentGeneration();
        if (generation.Tokens.TryGetValue(token, out var cached))
        {
            if (IsAlive(cached)) return cached;
            generation.Tokens.TryRemove(token, out _);
        }
        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && TokenShape.Check((JsonWebToken)result.SecurityToken, MaxLifetime) is { } malformed)
        {
            return new TokenValidationResult { IsValid = false, Exception = malformed };
        }
        if (result.IsValid)
        {
            if (generation.Tokens.Count >= MaxEntries) Prune(generation.Tokens);
            generation.Tokens[token] = result;
        }
        return result;
    }

    private TimeSpan MaxLifetime =>
        TimeSpan.FromSeconds(options.Value.LifetimeSeconds + options.Value.ClockSkewSeconds);

    private bool IsAlive(TokenValidationResult validated) =>
        time.GetUtcNow().UtcDateTime <= validated.SecurityToken.ValidTo + TimeSpan.FromSeconds(options.Value.ClockSkewSeconds);

    private Generation CurrentGeneration()
    {
        var generation = Volatile.Read(ref current);
        var set = keys.Current;
        if (ReferenceEquals(generation.Keys, set)) return generation;
        var fresh = new Generation(set, new(StringComparer.Ordinal));
        return Interlocked.CompareExchange(ref current, fresh,
            generation) == generation ? fresh : Volatile.Read(ref current);
    }

    /// <summary>
    /// Drops expired entries; if the cache is still full, starts over rather than grow without bound.
    /// </summary>
    private void Prune(ConcurrentDictionary<string, TokenValidationResult> tokens)
    {
        foreach (var (token, validated) in tokens)
        {
            if (!IsAlive(validated)) tokens.TryRemove(token, out _);
        }
        if (tokens.Count >= MaxEntries) tokens.Clear();
    }
}

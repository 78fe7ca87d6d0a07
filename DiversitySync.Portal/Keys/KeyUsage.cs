using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Keys;

/// <summary>When, from where and by what a key was last used.</summary>
public sealed record KeyUsage(DateTime At, string? Ip, string? UserAgent, string For)
{
    public const int UserAgentMaxLength = ApiKey.UserAgentMaxLength;
    public const string TokenExchange = "token exchange";

    /// <summary>User agents are attacker-chosen: keep them short and free of control characters (L-03).</summary>
    public static string? CleanUserAgent(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent)) return null;
        var clean = string.Concat(userAgent.Where(c => !char.IsControl(c)));
        return clean.Length <= UserAgentMaxLength ? clean : clean[..UserAgentMaxLength];
    }
}

/// <summary>
/// Records key use in memory and writes it in batches, so a token exchange costs no database write: each key's
/// latest use, and its day counters (<see cref="Counts"/>). Readers overlay <see cref="Pending"/> on what is stored,
/// so this instance always shows the latest use.
/// </summary>
public sealed class KeyUsageTracker(IServiceScopeFactory scopes, IOptions<KeysOptions> options, TimeProvider time,
    ILogger<KeyUsageTracker> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, KeyUsage> pending = new(StringComparer.Ordinal);

    public KeyUsageCounts Counts { get; } = new();

    /// <summary>
    /// Keeps the latest use. A use within a second of the one kept, from the same place and for the same thing,
    /// changes nothing anyone sees ("Last used" is shown to the minute) and is not written: one busy key's exchanges
    /// then read a dictionary entry instead of all taking the same bucket lock.
    /// </summary>
    public void Record(string keyId, KeyUsage usage)
    {
        if (pending.TryGetValue(keyId, out var kept) && usage.At - kept.At < TimeSpan.FromSeconds(1)
            && kept.Ip == usage.Ip && kept.UserAgent == usage.UserAgent && kept.For == usage.For)
        {
            return;
        }
        pending[keyId] = usage;
    }

    public KeyUsage? Pending(string keyId) => pending.GetValueOrDefault(keyId);

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var batch = new List<(string KeyId, KeyUsage Usage)>();
        foreach (var keyId in pending.Keys)
        {
            if (pending.TryRemove(keyId, out var usage)) batch.Add((keyId, usage));
        }
        var (days, scopeDays) = Counts.Take(time.GetUtcNow().UtcDateTime);
        if (batch.Count + days.Count + scopeDays.Count == 0) return;
        try
        {
            await WriteAsync(batch, days, scopeDays, cancellationToken);
        }
        catch
        {
            // Put them back unless a newer use arrived meanwhile; the next flush tries again.
            foreach (var (keyId, usage) in batch) pending.TryAdd(keyId, usage);
            Counts.Return(days, scopeDays);
            throw;
        }
    }

    private async Task WriteAsync(List<(string KeyId, KeyUsage Usage)> batch, List<KeyUsageDay> days,
        List<KeyScopeUsageDay> scopeDays, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (keyId, usage) in batch)
        {
            await db.ApiKeys
                .Where(k => k.KeyId == keyId && (k.LastUsedAt == null || k.LastUsedAt < usage.At))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(k => k.LastUsedAt, usage.At)
                    .SetProperty(k => k.LastUsedIp, usage.Ip)
                    .SetProperty(k => k.LastUsedUserAgent, usage.UserAgent)
                    .SetProperty(k => k.LastUsedFor, usage.For), cancellationToken);
        }
        await db.AddAsync(days, scopeDays, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.EveryAsync(TimeSpan.FromSeconds(options.Value.UsageFlushSeconds), time, TryFlushAsync, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await TryFlushAsync(cancellationToken);
    }

    private async Task TryFlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not write last-used times; will retry");
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Data;

/// <summary>Something that keeps an in-memory copy of stored state and must catch up when the state changes.</summary>
public interface IStoreChangeListener
{
    /// <summary>Load what changed after <paramref name="sinceRevision"/> (-1: everything).</summary>
    Task CatchUpAsync(PortalDbContext db, long sinceRevision, CancellationToken cancellationToken);
}

/// <summary>
/// Polls <see cref="ChangeCounter"/> and lets every <see cref="IStoreChangeListener"/> catch up when it moved.
/// The first catch-up runs before the server accepts requests (the key registry's, whose size grows with the keys, goes
/// on in the background: <see cref="KeyRegistry"/>).
/// </summary>
public sealed class ChangeFeed(
    IServiceScopeFactory scopes,
    IEnumerable<IStoreChangeListener> listeners,
    IOptions<ChangeFeedOptions> options,
    TimeProvider time,
    ILogger<ChangeFeed> logger) : BackgroundService
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private long seenRevision = -1;
    // Monotonic timestamps (TimeProvider.GetTimestamp): elapsed time, unaffected by wall-clock changes.
    private long lastSucceeded;
    private long lastStarted;

    /// <summary>False when the database could not be read for longer than the allowed staleness: fail closed.</summary>
    public bool IsFresh =>
        Volatile.Read(ref seenRevision) >= 0 &&
        time.GetElapsedTime(Volatile.Read(ref lastSucceeded)) <= TimeSpan.FromSeconds(options.Value.MaxStalenessSeconds);

    /// <summary>
    /// Whether this process keeps in-memory copies that follow the database: the server does, from its first
    /// catch-up on; an admin command does not, and has nothing to catch up after its change.
    /// </summary>
    public bool IsFollowing => Volatile.Read(ref seenRevision) >= 0;

    /// <summary>A timestamp to pass to <see cref="CatchUpSinceAsync"/>.</summary>
    public long Now() => time.GetTimestamp();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Reads the counter and, if it moved, lets every listener load what changed.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await CatchUpLockedAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// For a key this instance has not seen, perhaps made elsewhere a moment ago: returns once a catch-up that
    /// began after <paramref name="since"/> has finished. Callers that wait together share one catch-up, so a
    /// flood of unknown keys costs one small query at a time, not one each.
    /// </summary>
    public async Task CatchUpSinceAsync(long since, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref lastStarted) <= since) await CatchUpLockedAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task CatchUpLockedAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref lastStarted, time.GetTimestamp());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        // Give up on a locked database quickly: requests for unknown keys wait on this gate, and staleness is
        // what fails authentication closed, not this query (SQLite's busy wait follows the command timeout).
        db.Database.SetCommandTimeout(TimeSpan.FromSeconds(2));
        // Read the counter first: every row changed at or below it is already committed and visible to the
        // reads that follow. Rows changed later may be read too; listeners keep the newer revision.
        var current = await db.CurrentRevisionAsync(cancellationToken);
        var since = Volatile.Read(ref seenRevision);
        if (current != since)
        {
            foreach (var listener in listeners)
            {
                await listener.CatchUpAsync(db, since, cancellationToken);
            }
            Volatile.Write(ref seenRevision, current);
        }
        Volatile.Write(ref lastSucceeded, time.GetTimestamp());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CatchUpAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Could not read changes from the database; will retry");
            }
        }
    }
}

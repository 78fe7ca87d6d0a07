using System.Collections.Concurrent;
using DiversitySync.Portal.Components.Account;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Components.Circuits;

/// <summary>
/// Every open portal circuit on this instance. It listens to the change feed: when staff, roles or sessions change
/// (here, in the CLI or on another instance), it re-reads the standing of the people who have circuits open and
/// tells each circuit, within one poll of the feed (P-12). Once a second it ends circuits past the session's idle
/// or absolute limit, as the cookie would for a request.
/// </summary>
public sealed class OpenCircuits(ActorAccess access, IOptions<PortalOptions> portal, TimeProvider time)
    : IStoreChangeListener, IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<PortalCircuit, byte> circuits = new();
    private ITimer? timer;

    public void Add(PortalCircuit circuit) => circuits.TryAdd(circuit, 0);

    public void Remove(PortalCircuit circuit) => circuits.TryRemove(circuit, out _);

    public async Task CatchUpAsync(PortalDbContext db, long sinceRevision, CancellationToken cancellationToken)
    {
        var open = circuits.Keys.Where(c => c.User is not null && !c.HasEnded).ToList();
        if (open.Count == 0) return;
        foreach (var group in open.GroupBy(c => c.User!.Id))
        {
            var current = await StaffSessions.CurrentAsync(db, access, group.Key, cancellationToken);
            foreach (var circuit in group) circuit.Apply(current?.User, current?.SecurityStamp);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        timer = time.CreateTimer(_ => EndExpired(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => timer?.Dispose();

    /// <summary>
    /// Ends circuits idle for longer than the session's idle limit, or older than its absolute limit (P-03).
    /// </summary>
    internal void EndExpired()
    {
        var idle = TimeSpan.FromMinutes(portal.Value.SessionIdleMinutes);
        var maxAge = TimeSpan.FromHours(portal.Value.SessionMaxHours);
        var now = time.GetUtcNow();
        foreach (var circuit in circuits.Keys)
        {
            if (circuit.IdleFor >= idle || (circuit.SessionStartedAt is { } started && now - started >= maxAge))
            {
                circuit.End();
            }
        }
    }
}

using System.Security.Claims;
using DiversitySync.Portal.Components.Account;

namespace DiversitySync.Portal.Components.Circuits;

/// <summary>
/// What the HTTP request that opened a circuit knew and the circuit cannot learn later (it has no HttpContext): the
/// client's address (after trusted proxies) and when the session began. Handed from the static App to the
/// interactive Routes as a parameter, which Blazor protects with Data Protection like every component descriptor.
/// </summary>
public sealed record CircuitStart(string? ClientIp, DateTimeOffset? SessionStartedAt);

/// <summary>
/// The signed-in staff member of one interactive circuit (a scoped service: one per circuit). The circuit's
/// authentication state is fixed when it connects; <see cref="OpenCircuits"/> pushes changes of standing here, so
/// gone permissions vanish from the screen and an ended session leaves the page (P-12). The services check the
/// actor's permissions again on every call whatever this shows.
/// </summary>
public sealed class PortalCircuit(TimeProvider time)
{
    // Wall-clock ticks, like the session cookie's own idle limit.
    private long lastActivity = time.GetUtcNow().UtcTicks;

    public PortalUser? User { get; private set; }
    public string? ClientIp { get; private set; }
    public DateTimeOffset? SessionStartedAt { get; private set; }
    public string? SecurityStamp { get; private set; }
    public bool HasEnded { get; private set; }

    /// <summary>The person's permissions changed: re-render.</summary>
    public event Action? Changed;

    /// <summary>
    /// The session is over (blocked, archived, signed out elsewhere, idle or too old): leave the page.
    /// </summary>
    public event Action? Ended;

    /// <summary>
    /// The signed-in staff member as the actor of a service call, with the address the circuit came from.
    /// </summary>
    public Actor Actor => User is { } user
        ? Actor.Staff(user.Id, user.DisplayName, ClientIp)
        : throw new InvalidOperationException("No staff member is signed in on this circuit.");

    public TimeSpan IdleFor => time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref lastActivity), TimeSpan.Zero);

    internal void Start(ClaimsPrincipal principal, CircuitStart? start)
    {
        User = PortalUser.From(principal);
        SecurityStamp = principal.FindFirstValue(PortalUser.SecurityStampClaim);
        ClientIp = start?.ClientIp;
        SessionStartedAt = start?.SessionStartedAt;
    }

    /// <summary>The person did something on the page.</summary>
    internal void Touch() => Interlocked.Exchange(ref lastActivity, time.GetUtcNow().UtcTicks);

    /// <summary>The staff member's standing as stored now; null when they may no longer be signed in.</summary>
    internal void Apply(PortalUser? current, string? securityStamp)
    {
        if (HasEnded || User is null) return;
        if (current is null || securityStamp != SecurityStamp)
        {
            End();
            return;
        }
        if (current.Permissions.SetEquals(User.Permissions) && current.IsOwner == User.IsOwner
            && current.DisplayName == User.DisplayName)
        {
            return;
        }
        User = current;
        Changed?.Invoke();
    }

    internal void End()
    {
        if (HasEnded) return;
        HasEnded = true;
        Ended?.Invoke();
    }
}

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// Microsoft's <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> for the wall clock (key expiry, token
/// lifetimes, session limits), which a test moves by hand. The app's background loops (change-feed polling, usage
/// flushes) and its staleness measure use the same provider for timers and elapsed time: those stay on real time,
/// or a test that never advances the clock would stop hearing other processes' changes.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : Microsoft.Extensions.Time.Testing.FakeTimeProvider(start)
{
    public override long GetTimestamp() => System.GetTimestamp();

    public override long TimestampFrequency => System.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}

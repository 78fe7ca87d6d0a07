namespace DiversitySync.Portal.Core;

public static class Periodic
{
    /// <summary>
    /// Runs <paramref name="work"/> every <paramref name="interval"/> on <paramref name="time"/>'s timer, the first
    /// time one interval from now, until the host stops (which ends it quietly).
    /// </summary>
    public static async Task EveryAsync(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> work,
        CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await work(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

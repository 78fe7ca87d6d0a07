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

    /// <summary>
    /// <see cref="EveryAsync"/> for a background pass: each run in a scope of its own, a failure logged as
    /// <paramref name="failure"/> and tried again at the next interval, so one bad run never stops the job.
    /// </summary>
    public static Task InScopeEveryAsync(TimeSpan interval, TimeProvider time, IServiceScopeFactory scopes,
        ILogger logger, string failure, Func<IServiceProvider, CancellationToken, Task> work,
        CancellationToken stoppingToken) =>
        EveryAsync(interval, time, async cancellationToken =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await work(scope.ServiceProvider, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "{Failure}; it runs again at the next interval.", failure);
            }
        }, stoppingToken);
}

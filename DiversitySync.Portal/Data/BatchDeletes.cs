using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data;

public static class BatchDeletes
{
    /// <summary>
    /// Deletes <paramref name="rows"/> a batch at a time, each its own short statement, and after each waits twice as
    /// long as it took: a large purge then holds the write lock at most a third of the time, takes at most a third of
    /// a core, and the token path's batched writes get their turn between batches. Gives how many rows were deleted.
    /// </summary>
    public static async Task<long> DeleteInBatchesAsync<T>(this IOrderedQueryable<T> rows, int batchSize,
        TimeProvider time, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            var started = time.GetTimestamp();
            var batch = await rows.Take(batchSize).ExecuteDeleteAsync(cancellationToken);
            deleted += batch;
            if (batch < batchSize) return deleted;
            var took = time.GetElapsedTime(started);
            await Task.Delay(took * 2 > MinimumPause ? took * 2 : MinimumPause, time, cancellationToken);
        }
    }

    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(5);
}

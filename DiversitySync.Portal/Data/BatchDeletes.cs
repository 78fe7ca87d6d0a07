using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data;

public static class BatchDeletes
{
    /// <summary>
    /// Deletes <paramref name="rows"/> a batch at a time, each its own short statement, and after each rests as long as
    /// <paramref name="restAfter"/> says for the time the batch took: a large purge then holds the write lock and a
    /// core only part of the time, and the token path's batched writes get their turn between batches. Gives how many
    /// rows were deleted.
    /// </summary>
    public static async Task<long> DeleteInBatchesAsync<T>(this IOrderedQueryable<T> rows, int batchSize,
        Func<TimeSpan, TimeSpan> restAfter, TimeProvider time, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            var started = time.GetTimestamp();
            var batch = await rows.Take(batchSize).ExecuteDeleteAsync(cancellationToken);
            deleted += batch;
            if (batch < batchSize) return deleted;
            await Task.Delay(restAfter(time.GetElapsedTime(started)), time, cancellationToken);
        }
    }
}

using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace DiversitySync.Portal.Audit;

/// <summary>
/// Buffers the token endpoint's audit events and writes them in batches every <see cref="FlushInterval"/>, so the
/// hot path does no database write and takes no lock (a lock-free queue; thousands of exchanges a second all
/// enqueue). The buffer is bounded: under a flood of refused requests the oldest unwritten events are dropped and
/// a warning says how many, rather than memory growing without limit. A crash loses at most the events of one
/// flush interval.
/// </summary>
public sealed class AuditQueue(IServiceScopeFactory scopes, ILogger<AuditQueue> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);
    private const int Capacity = 50_000;
    private const int BatchSize = 500;
    private readonly ConcurrentQueue<AuditEvent> events = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private int count;
    private long droppedCount;
    private long enqueued;

    /// <summary>
    /// Events enqueued since start: how busy the request path is (one per token exchange), read by the retention
    /// pass to rest longer while it is.
    /// </summary>
    public long Enqueued => Interlocked.Read(ref enqueued);

    public void Enqueue(AuditEvent auditEvent)
    {
        events.Enqueue(auditEvent);
        Interlocked.Increment(ref enqueued);
        if (Interlocked.Increment(ref count) > Capacity && events.TryDequeue(out _))
        {
            Interlocked.Decrement(ref count);
            Interlocked.Increment(ref droppedCount);
        }
    }

    /// <summary>
    /// Writes everything queued so far (tests, shutdown). One writer at a time: a caller that finds the queue empty
    /// because the background loop has just taken a batch waits until that batch is committed.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            var batch = new List<AuditEvent>();
            while (events.TryDequeue(out var item))
            {
                Interlocked.Decrement(ref count);
                batch.Add(item);
                if (batch.Count == BatchSize)
                {
                    await WriteAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }
            if (batch.Count > 0) await WriteAsync(batch, cancellationToken);
        }
        finally
        {
            writing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (events.IsEmpty) continue;
                try
                {
                    await FlushAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogError(exception, "Could not write audit events; they are lost");
                }
                var dropped = Interlocked.Exchange(ref droppedCount, 0);
                if (dropped > 0) logger.LogWarning("Dropped {Count} audit events: the audit queue was full", dropped);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>
    /// One transaction per batch: on SQLite one prepared INSERT reused for every row, on PostgreSQL one binary COPY
    /// (a round trip per row would cost more than the rows). Thousands of token events a second would otherwise cost
    /// a fifth of the token endpoint's throughput in change tracking (bench/README.md).
    /// </summary>
    private async Task WriteAsync(List<AuditEvent> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connection is NpgsqlConnection postgres) await CopyAsync(postgres, batch, cancellationToken);
        else await InsertAsync(connection, transaction, batch, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, List<AuditEvent> batch,
        CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"AuditEvents\" ({ColumnList}) VALUES " +
            $"({string.Join(", ", Columns.Select(c => $"@{c}"))})";
        var parameters = Columns.Select(c =>
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = $"@{c}";
            insert.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        await insert.PrepareAsync(cancellationToken);
        foreach (var e in batch)
        {
            var values = ValuesOf(e);
            for (var i = 0; i < Columns.Length; i++) parameters[i].Value = values[i] ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, List<AuditEvent> batch,
        CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY \"AuditEvents\" ({ColumnList}) FROM " +
            $"STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var e in batch)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(e.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
            foreach (var value in ValuesOf(e).Skip(1))
            {
                if (value is null) await copy.WriteNullAsync(cancellationToken);
                else await copy.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken);
            }
        }
        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>In the order of <see cref="Columns"/>: the time, then strings.</summary>
    private static object?[] ValuesOf(AuditEvent e) =>
        [e.OccurredAt, e.Action, e.ActorType, e.ActorId, e.ActorName, e.TargetType, e.TargetId, e.ClientIp, e.Detail,
            e.CorrelationId];

    private static readonly string[] Columns =
    [
        nameof(AuditEvent.OccurredAt), nameof(AuditEvent.Action), nameof(AuditEvent.ActorType), nameof(AuditEvent.ActorId),
        nameof(AuditEvent.ActorName), nameof(AuditEvent.TargetType), nameof(AuditEvent.TargetId),
        nameof(AuditEvent.ClientIp),
        nameof(AuditEvent.Detail), nameof(AuditEvent.CorrelationId),
    ];

    private static readonly string ColumnList = string.Join(", ", Columns.Select(c => $"\"{c}\""));
}

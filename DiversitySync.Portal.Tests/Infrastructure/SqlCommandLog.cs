using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>Records the SQL the app runs, so tests can prove a path touched (or did not touch) a table.</summary>
public sealed class SqlCommandLog : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> commands = new();

    /// <summary>
    /// Commands whose SQL contains this text throw, as a failing disk or a lost connection would.
    /// </summary>
    public string? FailOn { get; set; }

    private readonly ConcurrentQueue<LoggedQuery> queries = new();

    /// <summary>The queries read since the last call, with their parameters: for their query plans.</summary>
    public IReadOnlyList<LoggedQuery> TakeQueries()
    {
        var taken = new List<LoggedQuery>();
        while (queries.TryDequeue(out var query)) taken.Add(query);
        return taken;
    }

    private void Log(DbCommand command) => queries.Enqueue(new LoggedQuery(command.CommandText,
        [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value, p.DbType))]));

    public int Count(string table) => commands.Count(c => c.Contains($"\"{table}\"", StringComparison.Ordinal));

    /// <summary>
    /// Commands that read or change keys, staff, roles or revoked tokens: what a request answered from memory must not
    /// run.
    /// </summary>
    public int KeyStateCount =>
        Count("ApiKeys") + Count("AspNetUsers") + Count("AspNetUserRoles") + Count("RevokedAccessTokens");

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result)
    {
        commands.Enqueue(command.CommandText);
        Log(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<DbDataReader> result,
        CancellationToken cancellationToken = default)
    {
        commands.Enqueue(command.CommandText);
        Log(command);
        ThrowIfFailing(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        commands.Enqueue(command.CommandText);
        ThrowIfFailing(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        commands.Enqueue(command.CommandText);
        Log(command);
        return ValueTask.FromResult(result);
    }

    private void ThrowIfFailing(DbCommand command)
    {
        if (FailOn is { } text && command.CommandText.Contains(text, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"injected failure on {text}");
        }
    }
}

public sealed record LoggedQuery(string Sql, IReadOnlyList<(string Name, object? Value, System.Data.DbType Type)> Parameters);

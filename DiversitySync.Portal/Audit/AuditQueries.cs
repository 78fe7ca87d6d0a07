using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Audit;

/// <summary>
/// The audit log's filters. <see cref="Actor"/> matches an actor id exactly or a name in part (text that is a key or
/// staff id matches the id only); <see cref="Target"/> a key or staff id (a key id also with its ds_live_/ds_test_
/// prefix); dates are whole UTC days, both ends included.
/// </summary>
/// <param name="ActorNames">False: <see cref="Actor"/> matches ids only, for a caller that may not see staff or key
/// names.</param>
public sealed record AuditQuery(
    string? Actor = null, string? Action = null, string? Target = null, DateOnly? From = null, DateOnly? To = null,
    int Page = 1, int PageSize = AuditQuery.DefaultPageSize, bool ActorNames = true)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int TextMaxLength = 100;

    /// <summary>The last day a range can end on: the day after it must still be a date.</summary>
    public static readonly DateOnly LastDay = DateOnly.MaxValue.AddDays(-1);

    public Refusal? Problem() => To > LastDay ? Refusal.Invalid($"to can be at most {Dates.Day(LastDay)}.") : null;
}

/// <summary>
/// Reads the audit log for screens, exports and /v1. Writing goes through <see cref="AuditLog"/> and <see
/// cref="AuditQueue"/>.
/// </summary>
public sealed class AuditQueries(PortalDbContext db, ActorAccess access)
{
    /// <summary>The most recent events about one key or staff member, newest first.</summary>
    public async Task<Outcome<IReadOnlyList<AuditEvent>>> ForTargetAsync(
        Actor actor, string targetType, string targetId, int limit, CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadAudit, cancellationToken) is { } refused)
        {
            return refused;
        }
        return Outcome<IReadOnlyList<AuditEvent>>.Of(await db.AuditEvents.AsNoTracking()
            .Where(e => e.TargetType == targetType && e.TargetId == targetId)
            .NewestFirst()
            .Take(limit)
            .ToListAsync(cancellationToken));
    }

    /// <summary>One page of matching events, newest first.</summary>
    public async Task<Outcome<Paged<AuditEvent>>> SearchAsync(Actor actor, AuditQuery query,
        CancellationToken cancellationToken = default)
    {
        if ((await access.CheckAsync(db, actor, ScopeCatalog.ReadAudit, cancellationToken)
            ?? query.Problem()) is { } refused)
        {
            return refused;
        }
        var events = Filter(query);
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, AuditQuery.MaxPageSize);
        var (total, exact) = await Paging.CountAsync(events, page, size, cancellationToken);
        var items = await events.NewestFirst().Skip(Paging.Skip(page,
            size)).Take(size).ToListAsync(cancellationToken);
        return new Paged<AuditEvent>(items, total, page, size, exact);
    }

    /// <summary>Every matching event, newest first, read as it is written out (the CSV export).</summary>
    public async Task<Outcome<IAsyncEnumerable<AuditEvent>>> StreamAsync(Actor actor, AuditQuery query,
        CancellationToken cancellationToken = default)
    {
        if ((await access.CheckAsync(db, actor, ScopeCatalog.DownloadAudit, cancellationToken)
            ?? query.Problem()) is { } refused)
        {
            return refused;
        }
        return Outcome<IAsyncEnumerable<AuditEvent>>.Of(Filter(query).NewestFirst().AsAsyncEnumerable());
    }

    private static bool LooksLikeId(string text) => Keys.ApiKeyFormat.IsKeyId(text) || Guid.TryParse(text, out _);

    private IQueryable<AuditEvent> Filter(AuditQuery query)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            var name = SqlLike.Contains(actor);
            // A key or staff id matches ids only: "or a name containing it" would read every event to find none.
            events = !query.ActorNames || LooksLikeId(actor) ? events.Where(e => e.ActorId == actor)
                : db.LikeIsCaseSensitive()
                ? events.Where(e => e.ActorId == actor || EF.Functions.ILike(e.ActorName!, name, SqlLike.Escape))
                : events.Where(e => e.ActorId == actor || EF.Functions.Like(e.ActorName!, name, SqlLike.Escape));
        }
        if (!string.IsNullOrWhiteSpace(query.Action)) events = events.Where(e => e.Action == query.Action);
        if (!string.IsNullOrWhiteSpace(query.Target))
        {
            var target = Keys.ApiKeyFormat.WithoutPrefix(query.Target.Trim());
            events = events.Where(e => e.TargetId == target);
        }
        if (query.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            events = events.Where(e => e.OccurredAt >= start);
        }
        if (query.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            events = events.Where(e => e.OccurredAt < end);
        }
        return events;
    }
}

internal static class AuditOrder
{
    /// <summary>Newest first: the order every audit index ends in (the Id breaks ties within a tick).</summary>
    public static IOrderedQueryable<AuditEvent> NewestFirst(this IQueryable<AuditEvent> events) =>
        events.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id);
}

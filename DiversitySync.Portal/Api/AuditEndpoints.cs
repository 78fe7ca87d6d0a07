using DiversitySync.Portal.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

/// <summary>GET /v1/audit-events: the audit log with the portal's filters, newest first.</summary>
public static class AuditEndpoints
{
    public sealed record AuditEventView(
        long Id, DateTime OccurredAt, string Action, string ActorType, string? ActorId, string? ActorName,
        string? TargetType, string? TargetId, string? ClientIp, string? Detail, string? CorrelationId);


    public static RouteGroupBuilder MapAuditEvents(this RouteGroupBuilder v1)
    {
        // A group without a prefix of its own: the paths stay /v1/audit-events and /v1/audit-events/export.
        var events = v1.MapGroup("").WithTags("Audit log").ServesResource(Resource);
        events.MapGet("/audit-events", List).RequireScope(ScopeCatalog.ReadAudit).FilteredBy(FilteredFields)
            .WithSummary("Audit events, newest first. Filters: actor (id, or part of a name), action, target (key or " +
                "staff id), from and to (UTC dates, inclusive).");
        events.MapGet("/audit-events/export",
            Export).RequireScope(ScopeCatalog.DownloadAudit).FilteredBy(FilteredFields)
            .WithSummary("Every event the filters match, newest first, as CSV. Same filters as the list, without " +
                "paging.");
        return v1;
    }

    private const string Resource = ScopeCatalog.Resources.Audit;

    private static readonly Func<HttpRequest, IEnumerable<string>> FilteredFields = FieldRestrictions.Parameters(
        ("actor", ["actor_id", "actor_name"]), ("action", ["action"]), ("target", ["target_id"]), ("from",
            ["occurred_at"]), ("to", ["occurred_at"]));

    public static async Task<Results<Ok<Paged<AuditEventView>>, ValidationProblem, ProblemHttpResult>> List(
        HttpContext http, AuditQueries queries, string? actor, string? action, string? target, string? from, string? to,
        int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var (query, errors) = Parse(http, actor, action, target, from, to, page, pageSize);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var found = await queries.SearchAsync(ApiActor.Of(http), query, cancellationToken);
        if (found.Value is not { } result) return found.Refusal!.ToProblem();
        var limits = http.KeyFields();
        return TypedResults.Ok(new Paged<AuditEventView>(
            [.. result.Items.Select(e => Shown(e, limits)).Select(e => new AuditEventView(
                e.Id, e.OccurredAt, e.Action, e.ActorType, e.ActorId, e.ActorName, e.TargetType, e.TargetId, e.ClientIp,
                e.Detail, e.CorrelationId))],
            result.Total, result.Page, result.PageSize, result.TotalIsExact));
    }

    /// <summary>Streams in constant memory: rows are read from the database as they are written out.</summary>
    public static async Task<IResult> Export(
        HttpContext http, AuditQueries queries, TimeProvider time, string? actor, string? action, string? target,
        string? from, string? to)
    {
        var (query, errors) = Parse(http, actor, action, target, from, to, null, null);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var found = await queries.StreamAsync(ApiActor.Of(http), query, http.RequestAborted);
        if (found.Value is not { } events) return found.Refusal!.ToProblem();
        var limits = http.KeyFields();
        await Csv.RespondAsync(http, "audit", events.Select(e => Shown(e, limits)),
            http.VisibleColumns(Resource, AuditCsv.Columns, identifiers: 1), time);
        return TypedResults.Empty;
    }

    /// <summary>
    /// An event as a caller limited on staff or key fields may read it (K-08): the name of a staff or key actor only
    /// with that resource's name field, and no detail on an event about a staff member or a key when the caller is
    /// limited on that resource (details name roles, states, environments and scopes).
    /// </summary>
    private static AuditEvent Shown(AuditEvent e, KeyFields limits)
    {
        var hideName = e.ActorType switch
        {
            Actor.StaffType => !limits.Allows(ScopeCatalog.Resources.Staff, "name"),
            Actor.KeyType => !limits.Allows(ScopeCatalog.Resources.ApiKeys, "name"),
            _ => false,
        };
        var hideDetail = (e.TargetType == AuditTargets.Staff && limits.For(ScopeCatalog.Resources.Staff) is not null)
                         || (e.TargetType == AuditTargets.Key
                             && limits.For(ScopeCatalog.Resources.ApiKeys) is not null);
        if (!hideName && !hideDetail) return e;
        return new AuditEvent
        {
            Id = e.Id,
            OccurredAt = e.OccurredAt,
            Action = e.Action,
            ActorType = e.ActorType,
            ActorId = e.ActorId,
            ActorName = hideName ? null : e.ActorName,
            TargetType = e.TargetType,
            TargetId = e.TargetId,
            ClientIp = e.ClientIp,
            Detail = hideDetail ? null : e.Detail,
            CorrelationId = e.CorrelationId,
        };
    }

    private static (AuditQuery Query, Dictionary<string, string[]> Errors) Parse(
        HttpContext http, string? actor, string? action, string? target, string? from, string? to, int? page,
        int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, value) in new[] { ("actor", actor), ("target", target) })
        {
            if (value?.Length > AuditQuery.TextMaxLength)
            {
                errors[name] = [$"{name} can be at most {AuditQuery.TextMaxLength} characters."];
            }
        }
        if (action is not null && !AuditActions.All.Contains(action))
        {
            errors["action"] = [$"action must be one of {string.Join(", ", AuditActions.All)}."];
        }
        var fromDate = ParseDate("from", from, errors);
        var toDate = ParseDate("to", to, errors);
        if (page < 1) errors["page"] = ["page starts at 1."];
        if (pageSize is < 1 or > AuditQuery.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {AuditQuery.MaxPageSize}."];
        }
        // A name search would tell, event by event, names the caller may not see.
        var names = http.Sees(ScopeCatalog.Resources.Staff, "name")
            && http.Sees(ScopeCatalog.Resources.ApiKeys, "name");
        return (new AuditQuery(actor, action, target, fromDate, toDate, page ?? 1, pageSize
            ?? AuditQuery.DefaultPageSize, names), errors);
    }

    private static DateOnly? ParseDate(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        if (Dates.ParseDay(value) is { } date) return date;
        errors[name] = [$"{name} must be a date like 2026-11-22."];
        return null;
    }
}

using System.Globalization;
using DiversitySync.Portal.Audit;
using Microsoft.AspNetCore.WebUtilities;

namespace DiversitySync.Portal.Components.Audit;

/// <summary>
/// The audit log's filters in the query string (<c>actor</c>, <c>action</c>, <c>target</c>, <c>from</c>, <c>to</c>,
/// <c>page</c>), shared by the page and its CSV export. Unknown or malformed values are ignored.
/// </summary>
public sealed record AuditListState(string? Actor = null, string? Action = null, string? Target = null,
    DateOnly? From = null, DateOnly? To = null, int Page = 1)
{
    public const string Path = "/admin/audit";
    public const string ExportPath = "/admin/audit/export.csv";

    public static AuditListState Parse(string? actor, string? action, string? target, string? from, string? to,
        string? page) => new(
        Text(actor),
        action is not null && AuditActions.All.Contains(action) ? action : null,
        Text(target),
        Dates.ParseDay(from),
        Dates.ParseDay(to),
        Paging.PageFrom(page));

    public AuditQuery ToQuery() => new(Actor, Action, Target, From, To, Page);

    public bool IsFiltered => Actor is not null || Action is not null || Target is not null || From is not null
        || To is not null;

    public string ToUrl(int? page = null, string path = Path)
    {
        var query = new Dictionary<string, string?>
        {
            ["actor"] = Actor,
            ["action"] = Action,
            ["target"] = Target,
            ["from"] = From is { } from ? Dates.Day(from) : null,
            ["to"] = To is { } to ? Dates.Day(to) : null,
            ["page"] = path == Path && (page ?? Page) is var p
                && p > 1 ? p.ToString(CultureInfo.InvariantCulture) : null,
        };
        return QueryHelpers.AddQueryString(path, query.Where(pair => pair.Value is not null));
    }

    private static string? Text(string? value)
    {
        value = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        return value?.Length > AuditQuery.TextMaxLength ? value[..AuditQuery.TextMaxLength] : value;
    }

}

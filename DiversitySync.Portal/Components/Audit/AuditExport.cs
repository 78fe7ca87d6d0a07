using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Components.Account;
using DiversitySync.Portal.Components.Shared;

namespace DiversitySync.Portal.Components.Audit;

/// <summary>
/// GET /admin/audit/export.csv: every event the page's filters match, streamed as CSV (download:audit).
/// </summary>
public static class AuditExport
{
    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AuditListState.ExportPath, ExportAsync).RequireAuthorization(StaffPolicies.DownloadAudit);
        return endpoints;
    }

    private static async Task ExportAsync(
        HttpContext http, AuditQueries queries, TimeProvider time,
        string? actor, string? action, string? target, string? from, string? to)
    {
        var state = AuditListState.Parse(actor, action, target, from, to, null);
        var events = await queries.StreamAsync(http.StaffActor(), state.ToQuery(), http.RequestAborted);
        if (events.Value is not { } stream)
        {
            http.Response.StatusCode = events.Refusal!.StatusCode;
            return;
        }
        await Csv.RespondAsync(http, "audit", stream, AuditCsv.Columns, time);
    }
}

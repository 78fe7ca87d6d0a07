using DiversitySync.Portal.Components.Account;
using DiversitySync.Portal.Api;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Components.Shared;
using DiversitySync.Portal.Staff;

namespace DiversitySync.Portal.Components.Audit;

/// <summary>GET /admin/audit/export.csv: every event the page's filters match, streamed as CSV (see <see cref="AuditCsv"/>).</summary>
public static class AuditExport
{
    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AuditListState.ExportPath, ExportAsync).RequireAuthorization(StaffPolicies.ReadAudit);
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
            http.Response.StatusCode = events.Refusal!.StatusCode();
            return;
        }
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store"; // the audit log is not for shared caches or the browser's history
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, AuditCsv.Encoding, bufferSize: 64 * 1024);
        await AuditCsv.WriteAsync(stream, writer, http.RequestAborted);
    }
}

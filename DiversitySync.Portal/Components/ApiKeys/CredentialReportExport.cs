using DiversitySync.Portal.Components.Account;
using DiversitySync.Portal.Components.Shared;
using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>GET /admin/api-keys/report.csv: Review's credential report, streamed as CSV (download:api_keys).</summary>
public static class CredentialReportExport
{
    public const string Path = "/admin/api-keys/report.csv";

    public static IEndpointRouteBuilder MapCredentialReport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ExportAsync).RequireAuthorization(StaffPolicies.For(ScopeCatalog.DownloadApiKeys));
        return endpoints;
    }

    private static async Task ExportAsync(HttpContext http, CredentialReport report, TimeProvider time)
    {
        var rows = await report.StreamAsync(http.StaffActor(), http.RequestAborted);
        if (rows.Value is not { } stream)
        {
            http.Response.StatusCode = rows.Refusal!.StatusCode;
            return;
        }
        await Csv.RespondAsync(http, "credential-report", stream, CredentialReport.Columns, time);
    }
}

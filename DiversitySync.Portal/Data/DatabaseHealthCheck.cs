using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DiversitySync.Portal.Data;

/// <summary>
/// /healthz: which database this instance uses, whether it answers, and whether the in-memory key state is current.
/// </summary>
public sealed class DatabaseHealthCheck(PortalDbContext db, DataPaths paths, ChangeFeed changes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        var reachable = true;
        try
        {
            await db.CurrentRevisionAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            reachable = false;
        }
        var fresh = changes.IsFresh; // read once: the status and the body must agree
        var data = new Dictionary<string, object>
        {
            ["provider"] = paths.Provider.ToString(),
            ["database"] = reachable ? "reachable" : "unreachable",
            ["keyState"] = fresh ? "fresh" : "stale",
        };
        return !reachable ? HealthCheckResult.Unhealthy("The database cannot be read.", data: data)
            : fresh ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Degraded("Key state has not been refreshed from the database recently.", data: data);
    }

    /// <summary>
    /// <c>{"status":"Healthy","provider":"Sqlite","database":"reachable","keyState":"fresh"}</c>; the status code says
    /// the same (503 when unhealthy).
    /// </summary>
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var body = new Dictionary<string, object> { ["status"] = report.Status.ToString() };
        foreach (var entry in report.Entries.Values)
        {
            foreach (var (key, value) in entry.Data) body[key] = value;
        }
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsJsonAsync(body, JsonSerializerOptions.Web);
    }
}

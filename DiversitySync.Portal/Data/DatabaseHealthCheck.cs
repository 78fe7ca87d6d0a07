using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DiversitySync.Portal.Data;

/// <summary>/healthz: the database answers a query and the in-memory key state is current.</summary>
public sealed class DatabaseHealthCheck(PortalDbContext db, ChangeFeed changes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.CurrentRevisionAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be read.");
        }
        return changes.IsFresh
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Key state has not been refreshed from the database recently.");
    }
}

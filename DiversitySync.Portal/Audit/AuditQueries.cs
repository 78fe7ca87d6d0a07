using DiversitySync.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Audit;

/// <summary>Reads the audit log for screens. Writing goes through <see cref="AuditLog"/> and <see cref="AuditQueue"/>.</summary>
public sealed class AuditQueries(PortalDbContext db)
{
    /// <summary>The most recent events about one key or staff member, newest first.</summary>
    public async Task<IReadOnlyList<AuditEvent>> ForTargetAsync(string targetType, string targetId, int limit, CancellationToken cancellationToken = default) =>
        await db.AuditEvents.AsNoTracking()
            .Where(e => e.TargetType == targetType && e.TargetId == targetId)
            .OrderByDescending(e => e.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
}

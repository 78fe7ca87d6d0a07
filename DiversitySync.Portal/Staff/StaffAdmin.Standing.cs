using DiversitySync.Portal.Audit;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>Archive and block: what ends a person's access, and what gives it back.</summary>
public sealed partial class StaffAdmin
{
    /// <summary>
    /// Archives the person and revokes every active key they created, in the same transaction (security-checklist
    /// P-04, R-03): their tokens fail on the next request, and their sessions end on their next request.
    /// </summary>
    public Task<StaffChange> ArchiveAsync(string staffId, StaffAuthority by, CancellationToken cancellationToken = default) =>
        ChangeAsync(staffId, by, async c =>
        {
            if (await IsLastOwnerAsync(c, cancellationToken)) return Conflict(LastOwner(c.Target));
            if (c.Target.Id == by.StaffId) return Conflict("You cannot archive yourself. Ask another Owner or Admin.");
            if (c.Target.Status == StaffStatus.Archived) return Conflict($"{c.Target.DisplayName} is already archived.");

            var active = db.ApiKeys.Where(k => k.CreatedById == c.Target.Id && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > c.Now));
            var keyIds = await active.Select(k => k.KeyId).ToListAsync(cancellationToken);
            await active.ExecuteUpdateAsync(s => s
                .SetProperty(k => k.RevokedAt, c.Now)
                .SetProperty(k => k.RevokedBy, c.Actor.Name)
                .SetProperty(k => k.RevocationReason, CreatorArchivedReason)
                .SetProperty(k => k.Revision, c.Revision), cancellationToken);
            foreach (var keyId in keyIds) db.Record(c.Actor, AuditActions.KeyRevoked, c.Now, AuditTargets.Key, keyId, CreatorArchivedReason);

            c.Target.Status = StaffStatus.Archived;
            c.Target.ArchivedAt = c.Now;
            await db.StaffLinks.Where(l => l.StaffId == c.Target.Id).ExecuteDeleteAsync(cancellationToken);
            Ensure(await users.UpdateSecurityStampAsync(c.Target));
            db.Record(c.Actor, AuditActions.StaffArchived, c.Now, AuditTargets.Staff, c.Target.Id, $"{keyIds.Count} active keys revoked");
            return new StaffChange { RevokedKeys = keyIds.Count };
        }, cancellationToken);

    /// <summary>Lets the person sign in again. Their revoked keys stay revoked: revocation cannot be undone.</summary>
    public Task<StaffChange> UnarchiveAsync(string staffId, StaffAuthority by, CancellationToken cancellationToken = default) =>
        ChangeAsync(staffId, by, async c =>
        {
            if (c.Target.Status != StaffStatus.Archived) return Conflict($"{c.Target.DisplayName} is not archived.");
            // Someone archived before accepting their invite has no password: an admin sends them a reset link.
            c.Target.Status = StaffStatus.Active;
            c.Target.ArchivedAt = null;
            Ensure(await users.UpdateAsync(c.Target));
            db.Record(c.Actor, AuditActions.StaffUnarchived, c.Now, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);

    /// <summary>Stops the person signing in and their keys working, until unblocked. Nothing is revoked.</summary>
    public Task<StaffChange> BlockAsync(string staffId, StaffAuthority by, CancellationToken cancellationToken = default) =>
        ChangeAsync(staffId, by, async c =>
        {
            if (await IsLastOwnerAsync(c, cancellationToken)) return Conflict(LastOwner(c.Target));
            if (c.Target.Id == by.StaffId) return Conflict("You cannot block yourself.");
            if (c.Target.Status != StaffStatus.Active) return Conflict($"{c.Target.DisplayName} is {c.Target.Status.ToString().ToLowerInvariant()}: only active staff can be blocked.");
            c.Target.Status = StaffStatus.Blocked;
            Ensure(await users.UpdateSecurityStampAsync(c.Target));
            db.Record(c.Actor, AuditActions.StaffBlocked, c.Now, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);

    public Task<StaffChange> UnblockAsync(string staffId, StaffAuthority by, CancellationToken cancellationToken = default) =>
        ChangeAsync(staffId, by, async c =>
        {
            if (c.Target.Status != StaffStatus.Blocked) return Conflict($"{c.Target.DisplayName} is not blocked.");
            c.Target.Status = StaffStatus.Active;
            Ensure(await users.UpdateAsync(c.Target));
            db.Record(c.Actor, AuditActions.StaffUnblocked, c.Now, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);
}

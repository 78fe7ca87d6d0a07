using DiversitySync.Portal.Webhooks;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using Microsoft.EntityFrameworkCore;
using static DiversitySync.Portal.Staff.StaffChangeRunner;

namespace DiversitySync.Portal.Staff;

/// <summary>Archive and block: what ends a person's access and what gives it back; and resetting their authenticator.</summary>
public sealed class StaffStanding(StaffChangeRunner runner, ApiKeyService keys)
{
    /// <summary>
    /// Archives the person and revokes every active key they created, in the same transaction (P-04, R-03): their
    /// tokens fail on the next request, and their sessions end on their next request.
    /// </summary>
    public Task<StaffChange> ArchiveAsync(string staffId, Actor actor, CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.Archive, actor, async c =>
        {
            var revoked = await keys.RevokeCreatedByAsync(c.Target.Id, c.Actor, c.Now, c.Revision, cancellationToken);
            c.Target.Status = StaffStatus.Archived;
            c.Target.ArchivedAt = c.Now;
            await runner.Db.StaffLinks.Where(l => l.StaffId == c.Target.Id).ExecuteDeleteAsync(cancellationToken);
            Ensure(await runner.Users.UpdateSecurityStampAsync(c.Target));
            runner.Db.Record(c.Actor, AuditActions.StaffArchived, c.Now, AuditTargets.Staff, c.Target.Id, $"{revoked} active keys revoked");
            await runner.Db.PublishAsync(WebhookEvents.StaffArchived, new { StaffId = c.Target.Id, c.Target.DisplayName, RevokedKeys = revoked }, c.Now, cancellationToken);
            return new StaffChange { RevokedKeys = revoked };
        }, cancellationToken);

    /// <summary>Lets the person sign in again. Their revoked keys stay revoked: revocation cannot be undone.</summary>
    public Task<StaffChange> UnarchiveAsync(string staffId, Actor actor, CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.Unarchive, actor, async c =>
        {
            // Someone archived before accepting their invite has no password: an admin sends them a reset link.
            c.Target.Status = StaffStatus.Active;
            c.Target.ArchivedAt = null;
            Ensure(await runner.Users.UpdateAsync(c.Target));
            runner.Db.Record(c.Actor, AuditActions.StaffUnarchived, c.Now, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);

    /// <summary>Stops the person signing in and their keys working, until unblocked. Nothing is revoked.</summary>
    public Task<StaffChange> BlockAsync(string staffId, Actor actor, CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.Block, actor, async c =>
        {
            c.Target.Status = StaffStatus.Blocked;
            Ensure(await runner.Users.UpdateSecurityStampAsync(c.Target));
            runner.Db.Record(c.Actor, AuditActions.StaffBlocked, c.Now, AuditTargets.Staff, c.Target.Id);
            await runner.Db.PublishAsync(WebhookEvents.StaffBlocked, new { StaffId = c.Target.Id, c.Target.DisplayName }, c.Now, cancellationToken);
            return new StaffChange();
        }, cancellationToken);

    public Task<StaffChange> UnblockAsync(string staffId, Actor actor, CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.Unblock, actor, async c =>
        {
            c.Target.Status = StaffStatus.Active;
            Ensure(await runner.Users.UpdateAsync(c.Target));
            runner.Db.Record(c.Actor, AuditActions.StaffUnblocked, c.Now, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);

    /// <summary>Turns off two-step sign-in and forgets the authenticator; the person enrols again from their profile.</summary>
    public Task<StaffChange> ResetMfaAsync(string staffId, Actor actor, CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.ResetMfa, actor, async c =>
        {
            Ensure(await runner.Users.SetTwoFactorEnabledAsync(c.Target, false));
            Ensure(await runner.Users.ResetAuthenticatorKeyAsync(c.Target)); // a key nobody has, and a new security stamp
            runner.Db.Record(c.Actor, AuditActions.StaffMfaReset, c.Now, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);
}

using DiversitySync.Portal.Keys;
using Microsoft.EntityFrameworkCore;
using static DiversitySync.Portal.Staff.StaffChangeRunner;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// Archive and block: what ends a person's access and what gives it back; and resetting their authenticator.
/// </summary>
public sealed class StaffStanding(StaffChangeRunner runner, ApiKeyService keys, UnitOfWork writes)
{
    /// <summary>
    /// Archives the person and revokes every active key they created, in the same transaction (P-04, R-03): their
    /// tokens fail on the next request, and their sessions end on their next request.
    /// </summary>
    public Task<Outcome<StaffChange>> ArchiveAsync(string staffId, Actor actor,
        CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.Archive, actor, async c =>
        {
            var revoked = await keys.RevokeCreatedByAsync(c.Target.Id, c.Change, cancellationToken);
            c.Target.Status = StaffStatus.Archived;
            c.Target.ArchivedAt = c.Now;
            await runner.Db.StaffLinks.Where(l => l.StaffId == c.Target.Id).ExecuteDeleteAsync(cancellationToken);
            if (Failed(await runner.Users.UpdateSecurityStampAsync(c.Target)) is { } failed) return failed;
            c.Change.Audit(AuditActions.StaffArchived, AuditTargets.Staff, c.Target.Id,
                $"{revoked} active keys revoked");
            await c.Change.PublishAsync(WebhookEvents.StaffArchived,
                new { StaffId = c.Target.Id, c.Target.DisplayName, RevokedKeys = revoked }, cancellationToken);
            return new StaffChange { RevokedKeys = revoked };
        }, cancellationToken);

    /// <summary>Lets the person sign in again. Their revoked keys stay revoked: revocation cannot be undone.</summary>
    public Task<Outcome<StaffChange>> UnarchiveAsync(string staffId, Actor actor,
        CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.Unarchive, actor, async c =>
        {
            // Someone archived before accepting their invite has no password: an admin sends them a reset link.
            c.Target.Status = StaffStatus.Active;
            c.Target.ArchivedAt = null;
            if (Failed(await runner.Users.UpdateAsync(c.Target)) is { } failed) return failed;
            c.Change.Audit(AuditActions.StaffUnarchived, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);

    /// <summary>Stops the person signing in and their keys working, until unblocked. Nothing is revoked.</summary>
    public Task<Outcome<StaffChange>> BlockAsync(string staffId, Actor actor,
        CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.Block, actor, async c =>
        {
            c.Target.Status = StaffStatus.Blocked;
            if (Failed(await runner.Users.UpdateSecurityStampAsync(c.Target)) is { } failed) return failed;
            c.Change.Audit(AuditActions.StaffBlocked, AuditTargets.Staff, c.Target.Id);
            await c.Change.PublishAsync(WebhookEvents.StaffBlocked, new { StaffId = c.Target.Id, c.Target.DisplayName },
                cancellationToken);
            return new StaffChange();
        }, cancellationToken);

    public Task<Outcome<StaffChange>> UnblockAsync(string staffId, Actor actor,
        CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.Unblock, actor, async c =>
        {
            c.Target.Status = StaffStatus.Active;
            if (Failed(await runner.Users.UpdateAsync(c.Target)) is { } failed) return failed;
            c.Change.Audit(AuditActions.StaffUnblocked, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);

    /// <summary>
    /// Turns off two-step sign-in and forgets the authenticator; the person enrols again from their profile.
    /// </summary>
    public Task<Outcome<StaffChange>> ResetMfaAsync(string staffId, Actor actor,
        CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.ResetMfa, actor, async c =>
        {
            if (Failed(await runner.Users.SetTwoFactorEnabledAsync(c.Target, false)) is { } failed) return failed;
            // a key nobody has, and a new security stamp
            if (Failed(await runner.Users.ResetAuthenticatorKeyAsync(c.Target)) is { } notReset) return notReset;
            c.Change.Audit(AuditActions.StaffMfaReset, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);

    /// <summary>
    /// Signing out ends every session of the acting staff member, not only this browser's: a new security stamp, with
    /// a new revision so their open pages, here and on other instances, end too. Audited.
    /// </summary>
    public Task<Outcome<bool>> SignOutEverywhereAsync(Actor actor) =>
        writes.RunAsync<bool>(actor,
            acting => acting.InPerson ? null : Refusal.Forbidden("Only a signed-in staff member signs out."),
            async change =>
        {
            var staff = (await runner.Users.FindByIdAsync(actor.Id!))!;
            if (Failed(await runner.Users.UpdateSecurityStampAsync(staff)) is { } failed) return failed;
            await change.RevisionAsync(CancellationToken.None);
            change.Audit(AuditActions.SignedOut, AuditTargets.Staff, staff.Id);
            return true;
        });
}

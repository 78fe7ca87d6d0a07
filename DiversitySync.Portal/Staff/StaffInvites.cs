using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DiversitySync.Portal.Staff.StaffChangeRunner;

namespace DiversitySync.Portal.Staff;

public sealed record LinkHolder(string StaffId, string DisplayName, string Email, StaffLinkPurpose Purpose);

/// <summary>
/// Who gets in: invites and password resets, each a one-time link (stored as a SHA-256 hash, shown once), and
/// redeeming them. Redeeming needs no actor: the link itself is the credential, for as long as it is unused,
/// unexpired and its holder may still sign in.
/// </summary>
public sealed class StaffInvites(
    StaffChangeRunner runner, StaffService staffService, UserManager<StaffMember> users, UnitOfWork writes,
    IOptions<PortalOptions> portal, TimeProvider time)
{
    /// <summary>
    /// Creates an invited account holding <paramref name="roleNames"/> and returns its invite link, once.
    /// </summary>
    public Task<Outcome<StaffChange>> InviteAsync(
        string email, string displayName, IReadOnlyCollection<string> roleNames, Actor actor,
        CancellationToken cancellationToken = default) =>
        runner.WithPermissionAsync(actor, ScopeCatalog.WriteInvites, async change =>
        {
            if (await StaffRoles.CheckGrantAsync(runner, roleNames, change.Access, cancellationToken) is { } refused)
            {
                return refused;
            }
            var created = await staffService.CreateInTransactionAsync(
                email, displayName, roleNames, StaffStatus.Invited, password: null, change, AuditActions.StaffInvited,
                cancellationToken);
            if (created.Value is not { } staff) return created.Refusal!;
            return new StaffChange
            {
                StaffId = staff.Id,
                Link = await IssueLinkAsync(staff, StaffLinkPurpose.Invite, cancellationToken)
            };
        }, cancellationToken);

    /// <summary>
    /// Removes the person's password and ends their sessions, then returns a one-time link to choose a new one.
    /// For someone who has not accepted their invite yet, that link is a new invite.
    /// </summary>
    public Task<Outcome<StaffChange>> ResetPasswordAsync(string staffId, Actor actor,
        CancellationToken cancellationToken = default) =>
        runner.OnAccountAsync(staffId, StaffAction.ResetPassword, actor, async c =>
        {
            // Removing the password also gives a new security stamp.
            if (c.Target.PasswordHash is not null && Failed(await users.RemovePasswordAsync(c.Target)) is { } failed)
            {
                return failed;
            }
            var purpose = c.Target.Status == StaffStatus.Invited
                ? StaffLinkPurpose.Invite
                : StaffLinkPurpose.PasswordReset;
            var link = await IssueLinkAsync(c.Target, purpose, cancellationToken);
            c.Change.Audit(AuditActions.StaffPasswordReset, AuditTargets.Staff, c.Target.Id,
                $"one-time link valid until {link.ExpiresAt:u}");
            return new StaffChange { Link = link };
        }, cancellationToken);

    /// <summary>
    /// Who the link is for, while it is unused, unexpired and its holder may still sign in; otherwise null.
    /// </summary>
    public async Task<LinkHolder?> FindLinkHolderAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (await FindLinkAsync(token, cancellationToken) is not { } link) return null;
        return await runner.Db.Users.AsNoTracking()
            .Where(s => s.Id == link.StaffId && (s.Status == StaffStatus.Active || s.Status == StaffStatus.Invited))
            .Select(s => new LinkHolder(s.Id, s.DisplayName, s.Email!, link.Purpose))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Sets the password, activates an invited account and uses the link up, in one change.</summary>
    public async Task<Outcome<bool>> SetPasswordAsync(string? token, string password, string? clientIp,
        CancellationToken cancellationToken = default)
    {
        if (await FindLinkHolderAsync(token, cancellationToken) is not { } holder) return LinkInvalid;
        var holderActor = Actor.Staff(holder.StaffId, holder.DisplayName, clientIp);
        return await writes.RunWithCredentialAsync<bool>(holderActor, async change =>
        {
            // Again inside the transaction: of two uses of one link, one wins.
            if (await FindLinkHolderAsync(token, cancellationToken) is null) return LinkInvalid;
            var staff = (await users.FindByIdAsync(holder.StaffId))!;
            if (staff.PasswordHash is not null && Failed(await users.RemovePasswordAsync(staff)) is { } notRemoved)
            {
                return notRemoved;
            }
            // A new security stamp: any other session ends.
            if ((await users.AddPasswordAsync(staff, password)) is { Succeeded: false } weak)
            {
                return Refusal.Invalid(string.Join(" ", weak.Errors.Select(e => e.Description)));
            }
            var accepted = staff.Status == StaffStatus.Invited;
            if (accepted)
            {
                staff.Status = StaffStatus.Active;
                if (Failed(await users.UpdateAsync(staff)) is { } notActivated) return notActivated;
            }
            await runner.Db.StaffLinks.Where(l => l.StaffId == staff.Id).ExecuteDeleteAsync(cancellationToken);
            await change.RevisionAsync(cancellationToken);
            change.Audit(accepted ? AuditActions.StaffInviteAccepted : AuditActions.StaffPasswordSet,
                AuditTargets.Staff, staff.Id);
            return true;
        }, cancellationToken);
    }

    private static Refusal LinkInvalid =>
        Refusal.Invalid("This link is invalid, has expired or has been used. Ask an " +
        "admin for a new one.");

    private async Task<OneTimeLink> IssueLinkAsync(StaffMember staff, StaffLinkPurpose purpose,
        CancellationToken cancellationToken)
    {
        var token = StaffLink.NewToken();
        var expires = time.GetUtcNow().UtcDateTime + (purpose == StaffLinkPurpose.Invite ? StaffLink.InviteLifetime : StaffLink.PasswordResetLifetime);
        await runner.Db.StaffLinks.Where(l => l.StaffId == staff.Id).ExecuteDeleteAsync(cancellationToken);
        runner.Db.StaffLinks.Add(new StaffLink
        {
            TokenHash = StaffLink.Hash(token),
            StaffId = staff.Id,
            Purpose = purpose,
            ExpiresAt = expires
        });
        await runner.Db.SaveChangesAsync(cancellationToken);
        return new OneTimeLink(portal.Value.Link($"/account/password?token={token}"), purpose, expires);
    }

    private async Task<StaffLink?> FindLinkAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return null;
        var now = time.GetUtcNow().UtcDateTime;
        var hash = StaffLink.Hash(token);
        // The lookup is by hash, so timing reveals nothing about the token; the comparison is constant-time anyway.
        var link = await runner.Db.StaffLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash
            && l.ExpiresAt > now, cancellationToken);
        return link is not null && CryptographicOperations.FixedTimeEquals(link.TokenHash, hash) ? link : null;
    }
}

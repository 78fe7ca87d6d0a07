using DiversitySync.Portal.Audit;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>Who gets in and with what: invites, roles, password and MFA resets.</summary>
public sealed partial class StaffAdmin
{
    /// <summary>Creates an invited account holding <paramref name="roleNames"/> and returns its invite link, once.</summary>
    public async Task<StaffChange> InviteAsync(
        string email, string displayName, IReadOnlyCollection<string> roleNames, StaffAuthority by, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await AuthorityAsync(by, cancellationToken) is not { } authority) return Forbidden("Your account may no longer make changes.");
        if (await CheckGrantAsync(roleNames, authority, cancellationToken) is { } refused) return refused;
        var created = await staffService.CreateInTransactionAsync(
            email, displayName, roleNames, StaffStatus.Invited, password: null, by.Actor, AuditActions.StaffInvited, cancellationToken);
        if (created.Created is not { } staff) return new(StaffChangeError.Invalid, created.Error);
        var link = await IssueLinkAsync(staff, StaffLinkPurpose.Invite, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.CatchUpAsync(cancellationToken);
        return new StaffChange { StaffId = staff.Id, Link = link };
    }

    /// <summary>Replaces the person's roles. Removing one narrows their keys at their next token exchange and /v1 call.</summary>
    public Task<StaffChange> SetRolesAsync(
        string staffId, IReadOnlyCollection<string> roleNames, StaffAuthority by, CancellationToken cancellationToken = default) =>
        ChangeAsync(staffId, by, async c =>
        {
            if (c.Target.Status == StaffStatus.Archived) return Conflict($"{c.Target.DisplayName} is archived: unarchive them first.");
            if (await CheckGrantAsync(roleNames, c.Authority, cancellationToken) is { } refused) return refused;
            var current = await users.GetRolesAsync(c.Target);
            var losesOwner = current.Contains(StaffRole.Owner) && !roleNames.Contains(StaffRole.Owner);
            if (losesOwner && !c.Authority.IsOwner) return Forbidden("Only an Owner can remove the Owner role.");
            if (losesOwner && await IsLastOwnerAsync(c, cancellationToken)) return Conflict(LastOwner(c.Target));
            var removed = current.Except(roleNames).ToList();
            var added = roleNames.Except(current).ToList();
            if (removed.Count == 0 && added.Count == 0) return new StaffChange();
            Ensure(await users.RemoveFromRolesAsync(c.Target, removed));
            Ensure(await users.AddToRolesAsync(c.Target, added));
            db.Record(c.Actor, AuditActions.StaffRolesChanged, c.Now, AuditTargets.Staff, c.Target.Id,
                $"{Labels(current)} → {Labels(roleNames)}");
            return new StaffChange();
        }, cancellationToken);

    /// <summary>
    /// Removes the person's password and ends their sessions, then returns a one-time link to choose a new one.
    /// For someone who has not accepted their invite yet, that link is a new invite.
    /// </summary>
    public Task<StaffChange> ResetPasswordAsync(string staffId, StaffAuthority by, CancellationToken cancellationToken = default) =>
        ChangeAsync(staffId, by, async c =>
        {
            if (c.Target.Status == StaffStatus.Archived) return Conflict($"{c.Target.DisplayName} is archived: unarchive them first.");
            if (c.Target.PasswordHash is not null) Ensure(await users.RemovePasswordAsync(c.Target)); // also a new security stamp
            var purpose = c.Target.Status == StaffStatus.Invited ? StaffLinkPurpose.Invite : StaffLinkPurpose.PasswordReset;
            var link = await IssueLinkAsync(c.Target, purpose, cancellationToken);
            db.Record(c.Actor, AuditActions.StaffPasswordReset, c.Now, AuditTargets.Staff, c.Target.Id, $"one-time link valid until {link.ExpiresAt:u}");
            return new StaffChange { Link = link };
        }, cancellationToken);

    /// <summary>Turns off two-step sign-in and forgets the authenticator; the person enrols again from their profile.</summary>
    public Task<StaffChange> ResetMfaAsync(string staffId, StaffAuthority by, CancellationToken cancellationToken = default) =>
        ChangeAsync(staffId, by, async c =>
        {
            if (c.Target.Status == StaffStatus.Archived) return Conflict($"{c.Target.DisplayName} is archived: unarchive them first.");
            Ensure(await users.SetTwoFactorEnabledAsync(c.Target, false));
            Ensure(await users.ResetAuthenticatorKeyAsync(c.Target)); // a key nobody has, and a new security stamp
            db.Record(c.Actor, AuditActions.StaffMfaReset, c.Now, AuditTargets.Staff, c.Target.Id);
            return new StaffChange();
        }, cancellationToken);

    /// <summary>Refuses roles that do not exist, that would give permissions the authority lacks, or Owner from a non-Owner.</summary>
    private async Task<StaffChange?> CheckGrantAsync(IReadOnlyCollection<string> roleNames, Grants authority, CancellationToken cancellationToken)
    {
        if (roleNames.Count == 0) return new(StaffChangeError.Invalid, "Choose at least one role.");
        var roles = await db.Roles.AsNoTracking().Where(r => roleNames.Contains(r.Name!)).ToListAsync(cancellationToken);
        if (roleNames.FirstOrDefault(name => roles.All(r => r.Name != name)) is { } unknown)
        {
            return new(StaffChangeError.Invalid, $"There is no role named '{unknown}'.");
        }
        if (roles.Any(r => r.Name == StaffRole.Owner) && !authority.IsOwner) return Forbidden("Only an Owner can make someone an Owner.");
        var beyond = roles.SelectMany(r => r.PermissionsOf(permissions.Catalog)).Except(authority.Permissions).Distinct().Order(StringComparer.Ordinal).ToList();
        return beyond.Count > 0
            ? Forbidden($"You cannot grant {string.Join(", ", beyond)}: you do not hold {(beyond.Count == 1 ? "that permission" : "those permissions")}.")
            : null;
    }

    private async Task<OneTimeLink> IssueLinkAsync(StaffMember staff, StaffLinkPurpose purpose, CancellationToken cancellationToken)
    {
        var token = StaffLink.NewToken();
        var expires = time.GetUtcNow().UtcDateTime + (purpose == StaffLinkPurpose.Invite ? StaffLink.InviteLifetime : StaffLink.PasswordResetLifetime);
        await db.StaffLinks.Where(l => l.StaffId == staff.Id).ExecuteDeleteAsync(cancellationToken);
        db.StaffLinks.Add(new StaffLink { TokenHash = StaffLink.Hash(token), StaffId = staff.Id, Purpose = purpose, ExpiresAt = expires });
        await db.SaveChangesAsync(cancellationToken);
        return new OneTimeLink(portal.Value.Link($"/account/password?token={token}"), purpose, expires);
    }

    private static string Labels(IEnumerable<string> roles) =>
        roles.Any() ? string.Join(", ", roles.Order(StringComparer.Ordinal).Select(StaffRole.LabelOf)) : "no roles";
}

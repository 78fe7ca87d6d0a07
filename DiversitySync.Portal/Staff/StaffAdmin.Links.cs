using System.Security.Cryptography;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

public sealed record LinkHolder(string StaffId, string DisplayName, string Email, StaffLinkPurpose Purpose);

/// <summary>Redeeming invite and password-reset links: the person chooses a password, once.</summary>
public sealed partial class StaffAdmin
{
    /// <summary>Who the link is for, while it is unused, unexpired and its holder may still sign in; otherwise null.</summary>
    public async Task<LinkHolder?> FindLinkHolderAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (await FindLinkAsync(token, cancellationToken) is not { } link) return null;
        return await db.Users.AsNoTracking()
            .Where(s => s.Id == link.StaffId && (s.Status == StaffStatus.Active || s.Status == StaffStatus.Invited))
            .Select(s => new LinkHolder(s.Id, s.DisplayName, s.Email!, link.Purpose))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Sets the password, activates an invited account and uses the link up, in one transaction. Null: done.</summary>
    public async Task<string?> SetPasswordAsync(string? token, string password, string? clientIp, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await FindLinkHolderAsync(token, cancellationToken) is not { } holder) return "This link is invalid, has expired or has been used. Ask an admin for a new one.";
        var staff = (await users.FindByIdAsync(holder.StaffId))!;
        if (staff.PasswordHash is not null) await users.RemovePasswordAsync(staff);
        var set = await users.AddPasswordAsync(staff, password); // a new security stamp: any other session ends
        if (!set.Succeeded) return string.Join(" ", set.Errors.Select(e => e.Description));
        var accepted = staff.Status == StaffStatus.Invited;
        if (accepted)
        {
            staff.Status = StaffStatus.Active;
            await users.UpdateAsync(staff);
        }
        await db.StaffLinks.Where(l => l.StaffId == staff.Id).ExecuteDeleteAsync(cancellationToken);
        await db.NextRevisionAsync(cancellationToken);
        var actor = new Actor(Actor.StaffType, staff.Id, staff.DisplayName, clientIp);
        db.Record(actor, accepted ? AuditActions.StaffInviteAccepted : AuditActions.StaffPasswordSet, time.GetUtcNow().UtcDateTime, AuditTargets.Staff, staff.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.CatchUpAsync(cancellationToken);
        return null;
    }

    private async Task<StaffLink?> FindLinkAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return null;
        var now = time.GetUtcNow().UtcDateTime;
        var hash = StaffLink.Hash(token);
        // The lookup is by hash, so timing reveals nothing about the token; the comparison is constant-time anyway.
        var link = await db.StaffLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash && l.ExpiresAt > now, cancellationToken);
        return link is not null && CryptographicOperations.FixedTimeEquals(link.TokenHash, hash) ? link : null;
    }
}

using System.Security.Cryptography;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

public sealed record CreateStaffResult(StaffMember? Created, string? Error);

/// <summary>Creates staff members and the one-time setup link. Every change is audited.</summary>
public sealed class StaffService(PortalDbContext db, UserManager<StaffMember> users, ChangeFeed changes, TimeProvider time)
{
    public static readonly TimeSpan SetupLinkLifetime = TimeSpan.FromHours(24);

    public async Task<CreateStaffResult> CreateAsync(string email, string displayName, string roleName, Actor actor, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        displayName = displayName.Trim();
        if (!StaffRole.BuiltInNames.Contains(roleName) && !await db.Roles.AnyAsync(r => r.Name == roleName, cancellationToken))
        {
            return new(null, $"There is no role named '{roleName}'. Built-in roles: {string.Join(", ", StaffRole.BuiltInNames)}.");
        }
        if (displayName.Length is 0 or > StaffMember.DisplayNameMaxLength || displayName.Any(char.IsControl))
        {
            return new(null, $"The name must be 1 to {StaffMember.DisplayNameMaxLength} characters with no control characters.");
        }
        if (!System.Net.Mail.MailAddress.TryCreate(email, out var address) || address.Address != email || email.Length > 256)
        {
            return new(null, $"'{email}' is not an email address.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var staff = new StaffMember { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, CreatedAt = now };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(staff);
        if (!created.Succeeded) return new(null, string.Join(" ", created.Errors.Select(e => e.Description)));
        var added = await users.AddToRoleAsync(staff, roleName);
        if (!added.Succeeded) return new(null, string.Join(" ", added.Errors.Select(e => e.Description)));
        await db.NextRevisionAsync(cancellationToken);
        db.Record(actor, AuditActions.StaffCreated, now, AuditTargets.Staff, staff.Id, $"{displayName} <{email}> as {roleName}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.CatchUpAsync(cancellationToken);
        return new(staff, null);
    }

    public Task<bool> AnyOwnerAsync(CancellationToken cancellationToken = default) =>
        db.UserRoles.Join(db.Roles.Where(r => r.Name == StaffRole.Owner), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId).AnyAsync(cancellationToken);

    /// <summary>
    /// A new one-time setup token, replacing any earlier one; null once an Owner exists. Only its hash is stored,
    /// so the link can be shown once and cannot be read back.
    /// </summary>
    public async Task<string?> CreateSetupTokenAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await AnyOwnerAsync(cancellationToken)) return null;
        var now = time.GetUtcNow().UtcDateTime;
        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SetupTokens.ExecuteDeleteAsync(cancellationToken);
        db.SetupTokens.Add(new SetupToken { TokenHash = SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)), ExpiresAt = now + SetupLinkLifetime });
        db.Record(actor, AuditActions.SetupLinkCreated, now, detail: $"valid until {now + SetupLinkLifetime:u}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return token;
    }
}

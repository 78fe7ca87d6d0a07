using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>Creates staff members and the first Owner (see StaffService.Setup.cs). Every change is audited.</summary>
public sealed partial class StaffService(PortalDbContext db, UserManager<StaffMember> users, UnitOfWork writes,
    TimeProvider time)
{
    /// <summary>
    /// An active account without a password, holding <paramref name="roleName"/>: how the admin CLI adds people.
    /// Anyone else invites them (<see cref="StaffInvites"/>), so that they choose their own password.
    /// </summary>
    public Task<Outcome<StaffMember>> CreateAsync(string email, string displayName, string roleName, Actor actor,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync(actor, OnlyTheCli, change =>
            CreateInTransactionAsync(email, displayName, [roleName], StaffStatus.Active, password: null, change,
                AuditActions.StaffCreated, cancellationToken),
            cancellationToken);

    private static Refusal? OnlyTheCli(Access acting) =>
        acting.IsSystem ? null : Refusal.Forbidden("Staff are added by invitation, so that they choose their own " +
            "password.");

    public Task<bool> AnyOwnerAsync(CancellationToken cancellationToken = default) =>
        db.UserRoles.Join(db.Roles.Where(r => r.Name == StaffRole.Owner), ur => ur.RoleId, r => r.Id,
            (ur, _) => ur.UserId).AnyAsync(cancellationToken);

    /// <summary>
    /// Validates and creates one staff member, as a step of <paramref name="change"/>: nothing is kept on failure.
    /// </summary>
    internal async Task<Outcome<StaffMember>> CreateInTransactionAsync(
        string email, string displayName, IReadOnlyCollection<string> roleNames, StaffStatus status, string? password,
        Change change, string auditAction, CancellationToken cancellationToken)
    {
        email = email.Trim();
        var known = await db.Roles.Where(r => roleNames.Contains(r.Name!)).Select(r => r.Name)
            .ToListAsync(cancellationToken);
        if (roleNames.FirstOrDefault(name => !known.Contains(name)) is { } unknown)
        {
            return Refusal.Invalid($"There is no role named '{unknown}'. Built-in roles: " +
                $"{string.Join(", ", StaffRole.BuiltInNames)}.");
        }
        var (person, problem) = IdentityNames.Person(displayName, StaffMember.DisplayNameMaxLength);
        if (person is null) return Refusal.Invalid(problem!);
        displayName = person;
        if (email.Length > 256 || !System.Net.Mail.MailAddress.TryCreate(email, out var address)
            || address.Address != email)
        {
            return Refusal.Invalid($"'{email}' is not an email address.");
        }

        var staff = new StaffMember
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CreatedAt = change.Now,
            Status = status
        };
        var created = password is null ? await users.CreateAsync(staff) : await users.CreateAsync(staff, password);
        if (!created.Succeeded) return Refusal.Invalid(string.Join(" ", created.Errors.Select(e => e.Description)));
        var added = await users.AddToRolesAsync(staff, roleNames);
        if (!added.Succeeded) return Refusal.Invalid(string.Join(" ", added.Errors.Select(e => e.Description)));
        await change.RevisionAsync(cancellationToken);
        change.Audit(auditAction, AuditTargets.Staff, staff.Id,
            $"{displayName} <{email}> as {string.Join(", ", roleNames.Select(StaffRole.LabelOf))}");
        return staff;
    }
}

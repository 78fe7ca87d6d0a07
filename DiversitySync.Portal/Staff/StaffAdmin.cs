using System.Collections.Frozen;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// Whose permissions bound a change to staff: the signed-in person, or the creator of the calling key. A key never
/// lets anyone, its creator included, give or use more than its creator holds (product.md §1). No staff id: the
/// admin CLI, run by whoever operates the server, which is bounded by nothing but the rules about the last Owner.
/// </summary>
public sealed record StaffAuthority(string? StaffId, Actor Actor)
{
    public static StaffAuthority Cli { get; } = new(null, Actor.Cli);
}

public enum StaffChangeError
{
    None,
    NotFound,
    Invalid,
    Forbidden,
    Conflict,
}

/// <summary>The outcome of a change to staff: the member as changed, or why nothing changed.</summary>
public sealed record StaffChange(StaffChangeError Error = StaffChangeError.None, string? Message = null)
{
    public bool Succeeded => Error == StaffChangeError.None;
    public string? StaffId { get; init; }
    public int RevokedKeys { get; init; }
    /// <summary>The invite or password-reset link, for the response that shows it once.</summary>
    public OneTimeLink? Link { get; init; }

    /// <summary>The HTTP status that says why nothing changed, the same on /v1 and in the portal.</summary>
    public int HttpStatus => Error switch
    {
        StaffChangeError.None => StatusCodes.Status200OK,
        StaffChangeError.NotFound => StatusCodes.Status404NotFound,
        StaffChangeError.Forbidden => StatusCodes.Status403Forbidden,
        StaffChangeError.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}

/// <summary>
/// The only writer of staff standing: invites, roles, archive, block, password and MFA resets. Each change runs in
/// one transaction with its audit events and a new revision (so tokens and sessions see it at once), and is bounded
/// by the authority's permissions as they are inside that transaction:
/// <list type="bullet">
/// <item>nobody acts on a person who holds a permission they do not hold, or on an Owner unless they are one;</item>
/// <item>nobody grants a role whose permissions they do not all hold; only Owners grant or remove Owner;</item>
/// <item>the last active Owner cannot be archived, blocked or lose the Owner role.</item>
/// </list>
/// </summary>
public sealed partial class StaffAdmin(
    PortalDbContext db, UserManager<StaffMember> users, StaffService staffService, StaffPermissions permissions,
    ChangeFeed changes, IOptions<PortalOptions> portal, TimeProvider time)
{
    public const string CreatorArchivedReason = "creator archived";

    private sealed record Grants(bool IsOwner, FrozenSet<string> Permissions);

    /// <summary>What a change sees: the target (tracked), both sides' grants, the time and the transaction's revision.</summary>
    private sealed record Context(StaffMember Target, Grants Authority, Grants Held, DateTime Now, long Revision, Actor Actor);

    private static StaffChange NotFound() => new(StaffChangeError.NotFound, "There is no such staff member.");

    private static StaffChange Conflict(string message) => new(StaffChangeError.Conflict, message);

    private static StaffChange Forbidden(string message) => new(StaffChangeError.Forbidden, message);

    /// <summary>Runs one change to one staff member, all or nothing.</summary>
    private async Task<StaffChange> ChangeAsync(
        string staffId, StaffAuthority by, Func<Context, Task<StaffChange>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await AuthorityAsync(by, cancellationToken) is not { } authority) return Forbidden("Your account may no longer make changes.");
        if (staffId.Length > 64 || await users.FindByIdAsync(staffId) is not { } target) return NotFound();
        var held = await GrantsAsync(target.Id, cancellationToken);
        if (held.IsOwner && !authority.IsOwner) return Forbidden($"{target.DisplayName} is an Owner: only an Owner can change an Owner's account.");
        if (held.Permissions.Except(authority.Permissions).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } beyond)
        {
            return Forbidden($"{target.DisplayName} holds permissions you do not ({string.Join(", ", beyond)}), so you cannot change their account.");
        }
        var revision = await db.NextRevisionAsync(cancellationToken);
        var result = await change(new Context(target, authority, held, time.GetUtcNow().UtcDateTime, revision, by.Actor));
        if (!result.Succeeded) return result; // disposing the transaction rolls back whatever the change wrote
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.CatchUpAsync(cancellationToken);
        return result with { StaffId = target.Id };
    }

    /// <summary>The authority's grants, or null when they are no longer an active staff member.</summary>
    private async Task<Grants?> AuthorityAsync(StaffAuthority by, CancellationToken cancellationToken)
    {
        if (by.StaffId is null) return new Grants(IsOwner: true, permissions.Catalog.All.Select(s => s.Name).ToFrozenSet(StringComparer.Ordinal));
        var active = await db.Users.AnyAsync(s => s.Id == by.StaffId && s.Status == StaffStatus.Active, cancellationToken);
        return active ? await GrantsAsync(by.StaffId, cancellationToken) : null;
    }

    private async Task<Grants> GrantsAsync(string staffId, CancellationToken cancellationToken)
    {
        var grants = await permissions.GrantsOfAsync(db, staffId, cancellationToken);
        return new Grants(grants.Roles.Contains(StaffRole.Owner), grants.Permissions);
    }

    /// <summary>Whether the target is the only active Owner, whom the organisation cannot lose.</summary>
    private async Task<bool> IsLastOwnerAsync(Context c, CancellationToken cancellationToken) =>
        c.Held.IsOwner && c.Target.Status == StaffStatus.Active &&
        !await db.Users.AnyAsync(s => s.Id != c.Target.Id && s.Status == StaffStatus.Active &&
            db.UserRoles.Any(ur => ur.UserId == s.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == StaffRole.Owner)), cancellationToken);

    private static string LastOwner(StaffMember target) =>
        $"{target.DisplayName} is the last active Owner. Make someone else an Owner first: the organisation must keep one.";

    /// <summary>Identity's own writes report failure as a result; inside our transaction they must stop the change.</summary>
    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}

using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>The outcome of a change to staff: the member as changed, or why nothing changed.</summary>
public sealed record StaffChange(Refusal? Refusal = null)
{
    public bool Succeeded => Refusal is null;
    public string? StaffId { get; init; }
    /// <summary>The account as changed.</summary>
    public StaffView? Staff { get; init; }
    public int RevokedKeys { get; init; }
    /// <summary>The invite or password-reset link, for the response that shows it once.</summary>
    public OneTimeLink? Link { get; init; }

    public static implicit operator StaffChange(Refusal refusal) => new(refusal);
}

/// <summary>What a change to one account sees: the target (tracked), the actor's access, the time and the transaction's revision.</summary>
internal sealed record StaffChangeContext(StaffMember Target, StaffTarget Seen, Access Authority, DateTime Now, long Revision, Actor Actor);

/// <summary>
/// Runs changes to staff, all or nothing: one transaction with the change's audit events and a new revision (so
/// tokens and sessions see it at once), bounded by the actor's access as it is inside that transaction
/// (<see cref="StaffRules"/>), then the change feed catches up.
/// </summary>
public sealed class StaffChangeRunner(
    PortalDbContext db, UserManager<StaffMember> users, ActorAccess access, StaffPermissions permissions, StaffQueries queries,
    ChangeFeed changes, TimeProvider time)
{
    internal PortalDbContext Db => db;
    internal UserManager<StaffMember> Users => users;
    internal StaffPermissions Permissions => permissions;
    internal DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>One action on one account.</summary>
    internal async Task<StaffChange> OnAccountAsync(
        string staffId, StaffAction action, Actor actor, Func<StaffChangeContext, Task<StaffChange>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var allowed = await access.RequireAsync(db, actor, StaffRules.PermissionFor(action), cancellationToken);
        if (allowed.Value is not { } authority) return allowed.Refusal!;
        if (staffId.Length > 64 || await users.FindByIdAsync(staffId) is not { } target) return StaffQueries.NoSuchStaff;
        var grants = await permissions.GrantsOfAsync(db, target.Id, cancellationToken);
        var seen = new StaffTarget(target.Id, target.DisplayName, target.Status, grants.Roles.Contains(StaffRole.Owner), grants.Permissions, target.TwoFactorEnabled);
        if (StaffRules.CheckAuthority(action, authority, seen) is { } refused) return refused;
        if (action is StaffAction.Archive or StaffAction.Block && await IsLastOwnerAsync(seen, cancellationToken)) return StaffRules.LastOwner(authority, seen);
        if (StaffRules.CheckState(action, authority, seen) is { } wrongState) return wrongState;
        var revision = await db.NextRevisionAsync(cancellationToken);
        var result = await change(new StaffChangeContext(target, seen, authority, Now, revision, actor));
        if (!result.Succeeded) return result; // disposing the transaction rolls back whatever the change wrote
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.CatchUpAsync(cancellationToken);
        return result with { StaffId = target.Id, Staff = await queries.ViewAsync(target.Id, cancellationToken) };
    }

    /// <summary>A change that needs <paramref name="permission"/> but is not aimed at one existing account (an invite, a role).</summary>
    internal async Task<StaffChange> WithPermissionAsync(
        Actor actor, string permission, Func<Access, Task<StaffChange>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var allowed = await access.RequireAsync(db, actor, permission, cancellationToken);
        if (allowed.Value is not { } authority) return allowed.Refusal!;
        var result = await change(authority);
        if (!result.Succeeded) return result;
        await db.NextRevisionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.CatchUpAsync(cancellationToken);
        return result.StaffId is { } changed ? result with { Staff = await queries.ViewAsync(changed, cancellationToken) } : result;
    }

    /// <summary>Whether the target is the only active Owner, whom the organisation cannot lose.</summary>
    internal async Task<bool> IsLastOwnerAsync(StaffTarget target, CancellationToken cancellationToken) =>
        target.IsOwner && target.Status == StaffStatus.Active &&
        !await db.Users.AnyAsync(s => s.Id != target.Id && s.Status == StaffStatus.Active &&
            db.UserRoles.Any(ur => ur.UserId == s.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == StaffRole.Owner)), cancellationToken);

    /// <summary>Identity's own writes report failure as a result; inside our transaction they must stop the change.</summary>
    internal static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}

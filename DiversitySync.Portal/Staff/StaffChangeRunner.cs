using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>What a change to staff gives: the member as changed, and what else it made.</summary>
public sealed record StaffChange
{
    public string? StaffId { get; init; }
    /// <summary>The account as changed.</summary>
    public StaffView? Staff { get; init; }
    public int RevokedKeys { get; init; }
    /// <summary>The invite or password-reset link, for the response that shows it once.</summary>
    public OneTimeLink? Link { get; init; }
}

/// <summary>
/// What a change to one account sees: the target (tracked), the actor's access, and the unit of work it is part of.
/// </summary>
internal sealed record StaffChangeContext(StaffMember Target, StaffTarget Seen, Change Change)
{
    public Access Authority => Change.Access;
    public DateTime Now => Change.Now;
    public long Revision => Change.Revision!.Value;
    public Actor Actor => Change.Actor;
}

/// <summary>
/// Runs changes to staff on the <see cref="UnitOfWork"/>, with a new revision (so tokens and sessions see them at
/// once), bounded by the actor's access as it is inside the transaction (<see cref="StaffRules"/>).
/// </summary>
public sealed class StaffChangeRunner(PortalDbContext db, UserManager<StaffMember> users, UnitOfWork writes,
    StaffPermissions permissions, StaffQueries queries)
{
    internal PortalDbContext Db => db;
    internal UserManager<StaffMember> Users => users;
    internal StaffPermissions Permissions => permissions;

    /// <summary>One action on one account.</summary>
    internal async Task<Outcome<StaffChange>> OnAccountAsync(
        string staffId, StaffAction action, Actor actor, Func<StaffChangeContext, Task<Outcome<StaffChange>>> step,
        CancellationToken cancellationToken)
    {
        var outcome = await writes.RunAsync<StaffChange>(actor, StaffRules.PermissionFor(action), async change =>
        {
            if (staffId.Length > 64 || await users.FindByIdAsync(staffId) is not { } target)
            {
                return StaffQueries.NoSuchStaff;
            }
            var grants = await permissions.GrantsOfAsync(db, target.Id, cancellationToken);
            var seen = new StaffTarget(target.Id, target.DisplayName, target.Status,
                grants.Roles.Contains(StaffRole.Owner), grants.Permissions, target.TwoFactorEnabled);
            if (StaffRules.CheckAuthority(action, change.Access, seen) is { } refused) return refused;
            if (action is StaffAction.Archive or StaffAction.Block && await IsLastOwnerAsync(seen, cancellationToken))
            {
                return StaffRules.LastOwner(change.Access, seen);
            }
            if (StaffRules.CheckState(action, change.Access, seen) is { } wrongState) return wrongState;
            await change.RevisionAsync(cancellationToken);
            var result = await step(new StaffChangeContext(target, seen, change));
            return result.Value is { } done ? done with { StaffId = target.Id } : result;
        }, cancellationToken);
        return await WithViewAsync(outcome, cancellationToken);
    }

    /// <summary>
    /// A change that needs <paramref name="permission"/> but is not aimed at one existing account (an invite, a role).
    /// </summary>
    internal async Task<Outcome<StaffChange>> WithPermissionAsync(
        Actor actor, string permission, Func<Change, Task<Outcome<StaffChange>>> step,
        CancellationToken cancellationToken)
    {
        var outcome = await writes.RunAsync<StaffChange>(actor, permission, async change =>
        {
            await change.RevisionAsync(cancellationToken);
            return await step(change);
        }, cancellationToken);
        return await WithViewAsync(outcome, cancellationToken);
    }

    private async Task<Outcome<StaffChange>> WithViewAsync(Outcome<StaffChange> outcome,
        CancellationToken cancellationToken) =>
        outcome.Value is { StaffId: { } changed } done ? done with
        {
            Staff = await queries.ViewAsync(changed,
            cancellationToken)
        } : outcome;

    /// <summary>Whether the target is the only active Owner, whom the organisation cannot lose.</summary>
    internal async Task<bool> IsLastOwnerAsync(StaffTarget target, CancellationToken cancellationToken) =>
        target.IsOwner && target.Status == StaffStatus.Active &&
        !await db.Users.AnyAsync(s => s.Id != target.Id && s.Status == StaffStatus.Active &&
            db.UserRoles.Any(ur => ur.UserId == s.Id
                && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == StaffRole.Owner)), cancellationToken);

    /// <summary>
    /// Identity's own writes report failure as a result, not an exception: a failed one refuses the whole change
    /// (and the unit of work rolls back what came before it). Null: it succeeded.
    /// </summary>
    internal static Refusal? Failed(IdentityResult result) =>
        result.Succeeded ? null : Refusal.Conflict(string.Join(" ", result.Errors.Select(e => e.Description)));
}

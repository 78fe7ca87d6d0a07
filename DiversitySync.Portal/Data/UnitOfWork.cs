using System.Collections.Frozen;

namespace DiversitySync.Portal.Data;

/// <summary>
/// The one way anything is changed: begin → check the actor → validate and change (the caller's step, so that
/// validation costing I/O, such as a DNS lookup, runs only for an actor who may make the change) → audit → save →
/// commit → let the change feed catch up. A refusal anywhere rolls everything back; a change without an audit event
/// is a bug and throws.
/// </summary>
public sealed class UnitOfWork(PortalDbContext db, ActorAccess access, ChangeFeed changes, TimeProvider time)
{
    /// <summary>A change that needs <paramref name="permission"/> now.</summary>
    public Task<Outcome<T>> RunAsync<T>(
        Actor actor, string permission, Func<Change, Task<Outcome<T>>> change,
        CancellationToken cancellationToken = default) =>
        RunAsync(actor, acting => acting.Can(permission) ? null : Refusal.Lacks(permission), change, cancellationToken);

    /// <summary>
    /// A change whose rule is more than one permission (an Owner only, the admin CLI only, one's own account).
    /// </summary>
    public async Task<Outcome<T>> RunAsync<T>(
        Actor actor, Func<Access, Refusal?> mayAct, Func<Change, Task<Outcome<T>>> change,
        CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Inside the transaction: a block, an archive or a lost role committed a moment ago applies to this change.
        if (await access.CurrentAsync(db, actor, cancellationToken) is not { } acting) return Refusal.NoStanding;
        if (mayAct(acting) is { } refused) return refused;
        return await CompleteAsync(new Change(db, actor, acting, time.GetUtcNow().UtcDateTime), change,
            cancellationToken);
    }

    /// <summary>
    /// A change made on the strength of a credential instead of an actor's standing (an invite link, the setup
    /// link): the step checks the credential inside the transaction; <paramref name="actor"/> is who it makes act.
    /// </summary>
    public async Task<Outcome<T>> RunWithCredentialAsync<T>(
        Actor actor, Func<Change, Task<Outcome<T>>> change, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var holder = new Access(actor.Id, IsOwner: false, FrozenSet<string>.Empty, FrozenSet<string>.Empty);
        return await CompleteAsync(new Change(db, actor, holder, time.GetUtcNow().UtcDateTime), change,
            cancellationToken);
    }

    private async Task<Outcome<T>> CompleteAsync<T>(Change change, Func<Change, Task<Outcome<T>>> step,
        CancellationToken cancellationToken)
    {
        var outcome = await step(change);
        if (!outcome.Succeeded) return outcome; // disposing the transaction rolls back whatever the step wrote
        if (!change.Audited && !change.IsUnchanged)
        {
            throw new InvalidOperationException("Every change is audited: the step must call Change.Audit.");
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.CurrentTransaction!.CommitAsync(cancellationToken);
        // Tokens, sessions and the key registry see the change before the caller does.
        if (change.Revision is not null && changes.IsFollowing) await changes.CatchUpAsync(cancellationToken);
        return outcome;
    }
}

/// <summary>
/// What one step of a <see cref="UnitOfWork"/> works with: the database, who acts and may do what, and the time.
/// </summary>
public sealed class Change(PortalDbContext db, Actor actor, Access access, DateTime now)
{
    public PortalDbContext Db => db;
    public Actor Actor => actor;
    /// <summary>The actor's access as it is inside this transaction.</summary>
    public Access Access => access;
    public DateTime Now => now;

    internal bool Audited { get; private set; }

    internal bool IsUnchanged { get; private set; }

    /// <summary>The step looked and found nothing to change (no leaked key of ours, say): nothing to audit.</summary>
    public void Unchanged() => IsUnchanged = true;

    /// <summary>
    /// The change counter's value for this change, once taken: what tokens, sessions and the registry catch up to.
    /// </summary>
    public long? Revision { get; private set; }

    public void Audit(string action, string? targetType = null, string? targetId = null, string? detail = null)
    {
        db.Record(actor, action, now, targetType, targetId, detail);
        Audited = true;
    }

    /// <summary>
    /// The same revision however often a step asks, so that every row of one change carries one number.
    /// </summary>
    public async Task<long> RevisionAsync(CancellationToken cancellationToken) =>
        Revision ??= await db.NextRevisionAsync(cancellationToken);

    /// <summary>Queues a webhook event in this transaction: it is sent only if the change commits.</summary>
    public Task PublishAsync(string type, object data, CancellationToken cancellationToken,
        string? onlyEndpoint = null) =>
        db.PublishAsync(type, data, now, cancellationToken, onlyEndpoint);

    public Task PublishAllAsync(string type, IReadOnlyCollection<object> events, CancellationToken cancellationToken) =>
        db.PublishAllAsync(type, events, now, cancellationToken);
}

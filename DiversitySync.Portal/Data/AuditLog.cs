namespace DiversitySync.Portal.Data;

/// <summary>
/// Adds audit events to the caller's DbContext, so an event commits or rolls back with the change it records.
/// For the token endpoint's events, which must not cost a write per request, see <see cref="AuditQueue"/>.
/// </summary>
public static class AuditLog
{
    public static AuditEvent Event(Actor actor, string action, DateTime at, string? targetType = null,
        string? targetId = null, string? detail = null) => new()
        {
            OccurredAt = at,
            Action = action,
            ActorType = actor.Type,
            ActorId = actor.Id,
            ActorName = EchoedInput.Clean(actor.Name, 199),
            TargetType = targetType,
            TargetId = targetId,
            ClientIp = actor.ClientIp,
            Detail = EchoedInput.CleanOptional(detail, 499),
            CorrelationId = actor.CorrelationId,
        };

    public static void Record(this PortalDbContext db, Actor actor, string action, DateTime at,
        string? targetType = null, string? targetId = null, string? detail = null) =>
        db.AuditEvents.Add(Event(actor, action, at, targetType, targetId, detail));
}

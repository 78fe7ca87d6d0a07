namespace DiversitySync.Portal.Audit;

/// <summary>
/// The audit log's CSV columns: the id, then one per field of the audit resource, named as the field.
/// </summary>
public static class AuditCsv
{
    public static readonly IReadOnlyList<CsvColumn<AuditEvent>> Columns =
    [
        new("id", e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("occurred_at", e => Dates.Instant(e.OccurredAt)),
        new("action", e => e.Action),
        new("actor_type", e => e.ActorType),
        new("actor_id", e => e.ActorId),
        new("actor_name", e => e.ActorName),
        new("target_type", e => e.TargetType),
        new("target_id", e => e.TargetId),
        new("client_ip", e => e.ClientIp),
        new("detail", e => e.Detail),
        new("correlation_id", e => e.CorrelationId),
    ];
}

using System.Text;

namespace DiversitySync.Portal.Audit;

/// <summary>
/// The audit log as CSV (RFC 4180). Actor names, targets and details can come from anyone (a key's name, a sign-in
/// email), so a cell that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection).
/// </summary>
public static class AuditCsv
{
    public static readonly string[] Header =
        ["occurred_at_utc", "action", "actor_type", "actor_id", "actor_name", "target_type", "target_id", "client_ip", "detail", "correlation_id"];

    public static async Task WriteAsync(IAsyncEnumerable<AuditEvent> events, TextWriter writer, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(Line(Header));
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Line([
                Dates.Instant(e.OccurredAt), e.Action, e.ActorType, e.ActorId,
                e.ActorName, e.TargetType, e.TargetId, e.ClientIp, e.Detail, e.CorrelationId,
            ]));
        }
    }

    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>One cell: defused if it starts like a formula, quoted if it holds a comma, quote or line break.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}

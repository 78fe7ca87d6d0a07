using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DiversitySync.Portal.Data;

/// <summary>
/// Stores UTC to the microsecond and reads back DateTimeKind.Utc, so "Z" survives a round trip through SQLite, and
/// both providers keep the same value (PostgreSQL's timestamps hold microseconds; .NET's ticks are 100 ns).
/// </summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => ToMicroseconds(value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime()),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc))
{
    private static DateTime ToMicroseconds(DateTime value) =>
        value.AddTicks(-(value.Ticks % TimeSpan.TicksPerMicrosecond));
}

using System.Globalization;

namespace DiversitySync.Portal.Core;

/// <summary>
/// How dates and instants are written and read everywhere: ISO 8601, UTC, whatever the server's culture.
/// </summary>
public static class Dates
{
    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>A whole UTC day, as query strings, filters and the CLI take it: 2026-11-22.</summary>
    public static string Day(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    public static DateOnly? ParseDay(string? text) =>
        DateOnly.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None,
            out var day) ? day : null;

    /// <summary>An instant to the second, for machines (CSV, datetime attributes): 2026-11-22T09:30:00Z.</summary>
    public static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'",
        CultureInfo.InvariantCulture);

    /// <summary>An instant to the minute, for people reading a table: 2026-11-22 09:30.</summary>
    public static string Minute(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

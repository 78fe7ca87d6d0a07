using System.Globalization;

namespace DiversitySync.Portal.Components.Shared;

/// <summary>How the portal writes times: dates as "12 Nov 2026", instants in UTC, recent use as "2 min ago".</summary>
public static class Format
{
    // English month names, whatever the server's culture
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Date(DateTime utc) => utc.ToString("d MMM yyyy", Culture);

    /// <summary>A person's initials for their avatar: "Olive Owner" → "OO", "Cher" → "C".</summary>
    public static string Initials(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] initialOf = words.Length switch { 0 => [], 1 => [words[0]], _ => [words[0], words[^1]] };
        return initialOf.Length == 0 ? "?" : string.Concat(initialOf.Select(w =>
            System.Text.Rune.ToUpperInvariant(w.EnumerateRunes().First()).ToString()));
    }

    /// <summary>A chart's day label: "3 Dec".</summary>
    public static string DayMonth(DateOnly day) => day.ToString("d MMM", Culture);

    public static string Instant(DateTime utc) => utc.ToString("d MMM yyyy, HH:mm", Culture) + " UTC";

    /// <summary>When and from where a key was last used, e.g. "22 Nov 2026, 11:58 UTC from 203.0.113.7".</summary>
    public static string UsedAt(DateTime utc, string? ip) => Instant(utc) + (ip is null ? "" : $" from {ip}");

    public static string Ago(DateTime utc, DateTime now)
    {
        var elapsed = now - utc;
        return elapsed switch
        {
            { TotalMinutes: < 1 } => "Just now",
            { TotalHours: < 1 } => Plural((int)elapsed.TotalMinutes, "min") + " ago",
            { TotalDays: < 1 } => Plural((int)elapsed.TotalHours, "hour") + " ago",
            { TotalDays: < 60 } => Plural((int)elapsed.TotalDays, "day") + " ago",
            _ => Date(utc),
        };
    }

    /// <summary>A list's total, "more than 10,000 keys" where counting stopped (<see cref="Paging.CountAsync"/>).</summary>
    public static string Total<T>(Paged<T> page, string unit) => page.TotalIsExact
        ? Plural(page.Total, unit)
        : $"more than {Number(page.Total)} {unit}s";

    public static string Plural(int count, string unit) => count == 1
        || unit == "min" ? $"{count} {unit}" : $"{count} {unit}s";

    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

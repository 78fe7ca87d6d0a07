using System.Globalization;
using System.Text.RegularExpressions;

namespace DiversitySync.Portal.Keys;

public enum TimeFilterKind
{
    /// <summary>The time is not set: never used, never expires.</summary>
    Never,
    /// <summary>Within the last N days (used, created) or the next N days (expires).</summary>
    Within,
    /// <summary>More than N days ago.</summary>
    Before,
    /// <summary>Between two UTC dates, both included.</summary>
    Between,
}

/// <summary>
/// A key list's time filter as its address writes it: <c>never</c>, <c>within:7d</c>, <c>before:90d</c> (or
/// <c>before:1y</c>), <c>2026-01-01..2026-03-31</c>. Relative ones are measured from the moment the list is read,
/// so a list left open keeps meaning "the last 7 days".
/// </summary>
public sealed partial record TimeFilter(TimeFilterKind Kind, int Days = 0, DateOnly From = default,
    DateOnly To = default)
{
    public const int MaxDays = 3650;

    public static TimeFilter Never { get; } = new(TimeFilterKind.Never);

    public static TimeFilter Within(int days) => new(TimeFilterKind.Within, days);

    public static TimeFilter Before(int days) => new(TimeFilterKind.Before, days);

    public string ToCode() => Kind switch
    {
        TimeFilterKind.Never => "never",
        TimeFilterKind.Within => $"within:{Days}d",
        TimeFilterKind.Before => $"before:{Days}d",
        _ => $"{From:yyyy-MM-dd}..{To:yyyy-MM-dd}",
    };

    /// <summary>The filter <paramref name="code"/> writes, if it is one of <paramref name="allowed"/>; else why not.</summary>
    public static (TimeFilter? Filter, string? Error) Parse(string code, params TimeFilterKind[] allowed)
    {
        var filter = Read(code.Trim().ToLowerInvariant(), out var error);
        if (error is not null) return (null, error);
        if (filter is null || !allowed.Contains(filter.Kind))
        {
            return (null, $"use {string.Join(", ", allowed.Select(Example))}.");
        }
        return (filter, null);
    }

    private static string Example(TimeFilterKind kind) => kind switch
    {
        TimeFilterKind.Never => "never",
        TimeFilterKind.Within => "within:<N>d",
        TimeFilterKind.Before => "before:<N>d",
        _ => "<from>..<to> (dates as yyyy-MM-dd)",
    };

    private static TimeFilter? Read(string code, out string? error)
    {
        error = null;
        if (code == "never") return Never;
        if (Relative().Match(code) is { Success: true } relative)
        {
            var kind = relative.Groups["kind"].Value == "within" ? TimeFilterKind.Within : TimeFilterKind.Before;
            if (!int.TryParse(relative.Groups["n"].ValueSpan, CultureInfo.InvariantCulture, out var n)) n = int.MaxValue;
            var days = relative.Groups["unit"].Value == "y" ? (long)n * 365 : n;
            if (days is < 1 or > MaxDays)
            {
                error = $"the number of days must be between 1 and {MaxDays}.";
                return null;
            }
            return new(kind, (int)days);
        }
        if (Range().Match(code) is { Success: true } range)
        {
            if (!DateOnly.TryParseExact(range.Groups["from"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var from)
                || !DateOnly.TryParseExact(range.Groups["to"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var to))
            {
                error = "the dates must be real dates, as yyyy-MM-dd.";
                return null;
            }
            if (to < from)
            {
                error = "the range ends before it starts.";
                return null;
            }
            return new(TimeFilterKind.Between, From: from, To: to);
        }
        return null;
    }

    [GeneratedRegex(@"^(?<kind>within|before):(?<n>\d{1,9})(?<unit>[dy])$")]
    private static partial Regex Relative();

    [GeneratedRegex(@"^(?<from>\d{4}-\d\d-\d\d)\.\.(?<to>\d{4}-\d\d-\d\d)$")]
    private static partial Regex Range();
}

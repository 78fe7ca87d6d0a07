using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>The key list's review filters in words, for the chips that show them and the Date created control.</summary>
public static class ReviewFilterLabels
{
    /// <summary>The Date created choices: code → label; a range is the custom choice.</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> CreatedChoices =
    [
        ("", "Any time"),
        ("within:7d", "Last 7 days"),
        ("within:30d", "Last 30 days"),
        ("within:90d", "Last 90 days"),
        ("before:90d", "Older than 90 days"),
        ("before:365d", "Older than a year"),
    ];

    public static string Used(TimeFilter used) => used.Kind switch
    {
        TimeFilterKind.Never => "Never used",
        TimeFilterKind.Within => $"Used in the last {Days(used.Days)}",
        _ => $"Not used for {Days(used.Days)}",
    };

    public static string Expires(TimeFilter expires) => expires.Kind == TimeFilterKind.Never
        ? "Never expires"
        : $"Expires within {Days(expires.Days)}";

    public static string Created(TimeFilter created) => created.Kind switch
    {
        TimeFilterKind.Within => $"Created in the last {Days(created.Days)}",
        TimeFilterKind.Before => $"Created more than {Days(created.Days)} ago",
        _ => $"Created {created.From:d MMM yyyy} – {created.To:d MMM yyyy}",
    };

    private static string Days(int days) => days % 365 == 0 && days >= 365
        ? days == 365 ? "a year" : $"{days / 365} years"
        : days == 1 ? "day" : $"{days} days";
}

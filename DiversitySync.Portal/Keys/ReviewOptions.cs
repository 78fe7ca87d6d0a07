using System.ComponentModel.DataAnnotations;

namespace DiversitySync.Portal.Keys;

/// <summary>The review desk's thresholds: what counts as unused, and how soon is "expiring".</summary>
public sealed class ReviewOptions
{
    public const string Section = "Review";

    /// <summary>A key, or a scope of a key, not used for this many days is unused.</summary>
    [Range(1, 3650)]
    public int UnusedDays { get; set; } = 90;

    /// <summary>Keys expiring within this many days are shown as expiring.</summary>
    [Range(1, 365)]
    public int ExpiringDays { get; set; } = 7;
}

namespace DiversitySync.Portal.Keys;

/// <summary>When a new key expires: the choices people are offered, and what each means.</summary>
public static class KeyExpiry
{
    public const string Never = "never";
    public const string Custom = "custom";

    /// <summary>The "Expires in" choices: code → (label, days). <see cref="Custom"/> takes a date.</summary>
    public static readonly IReadOnlyList<(string Code, string Label, int? Days)> Choices =
    [
        (Never, "Never", null),
        ("7", "7 days", 7),
        ("30", "30 days", 30),
        ("60", "60 days", 60),
        ("90", "90 days", 90),
        ("365", "1 year", 365),
        (Custom, "Custom date", null),
    ];

    /// <summary>
    /// The expiry for a choice; a custom date is valid through that whole day, in UTC. Null message: fine.
    /// </summary>
    public static (DateTime? ExpiresAt, string? Error) Resolve(string? choice, string? customDate, DateTime now)
    {
        var (code, _, days) = Choices.FirstOrDefault(c => c.Code == choice);
        if (code is null) return (null, "Choose when the key expires.");
        if (days is { } d) return (now.AddDays(d), null);
        if (code != Custom) return (null, null);
        return Dates.ParseDay(customDate) is { } date
            ? (DateTime.SpecifyKind(date.AddDays(1).ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc), null)
            : (null, "Enter the expiry date, or choose another option.");
    }
}

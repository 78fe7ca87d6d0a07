namespace DiversitySync.Portal.Keys;

public sealed class KeysOptions
{
    public const string Section = "Keys";

    /// <summary>How often last-used times are written: at most one write per key per interval.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int UsageFlushSeconds { get; set; } = 60;

    /// <summary>How long the per-day usage counters are kept.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3650)]
    public int UsageRetentionDays { get; set; } = 400;

    /// <summary>How often keys that the key policy finds unused are expired.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1440)]
    public int PolicyIntervalMinutes { get; set; } = 15;
}

using System.ComponentModel.DataAnnotations;

namespace DiversitySync.Portal.Audit;

/// <summary>How long audit events are kept, and how the retention pass deletes them.</summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string Section = "Audit";

    /// <summary>
    /// The events written per request (<see cref="AuditRetention.HighVolume"/>) are deleted this many days after they
    /// happened. The usage counters keep their totals for longer.
    /// </summary>
    [Range(1, 3650)]
    public int HighVolumeRetentionDays { get; set; } = 90;

    /// <summary>Every other event (keys, staff, roles, webhooks, settings) is kept forever unless this is set.</summary>
    [Range(1, 36500)]
    public int? RetentionDays { get; set; }

    /// <summary>How often the retention pass runs; the first pass runs one interval after start.</summary>
    [Range(1, 1440)]
    public int RetentionIntervalMinutes { get; set; } = 60;

    /// <summary>Rows per DELETE: small enough that a batch holds the database's write lock for milliseconds.</summary>
    [Range(10, 100_000)]
    public int RetentionBatchSize { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetentionDays < HighVolumeRetentionDays)
        {
            yield return new ValidationResult(
                $"Audit:RetentionDays ({RetentionDays}) must be at least Audit:HighVolumeRetentionDays "
                + $"({HighVolumeRetentionDays}): every event is kept at least as long as the per-request ones.",
                [nameof(RetentionDays)]);
        }
    }
}

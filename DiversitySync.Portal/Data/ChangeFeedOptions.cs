using System.ComponentModel.DataAnnotations;

namespace DiversitySync.Portal.Data;

public sealed class ChangeFeedOptions
{
    public const string Section = "ChangeFeed";

    /// <summary>How often to look for changes made by other processes (the CLI, other instances).</summary>
    [Range(0.05, 5)]
    public double PollSeconds { get; set; } = 1;

    /// <summary>
    /// How old the in-memory state may grow while the database cannot be read before authentication fails closed.
    /// This bounds how late a revocation made elsewhere can take effect (J-08).
    /// </summary>
    [Range(1, 60)]
    public double MaxStalenessSeconds { get; set; } = 5;
}

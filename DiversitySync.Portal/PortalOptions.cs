using System.ComponentModel.DataAnnotations;

namespace DiversitySync.Portal;

/// <summary>Deployment-wide settings: where data lives and how the portal names itself.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Folder for the SQLite file and the Data Protection key ring; relative paths are under the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "App_Data";

    [Required, MaxLength(100)]
    public string OrganisationName { get; set; } = "DiversitySync";

    /// <summary>The address people open the portal at; used in links printed by the server and the CLI.</summary>
    [Required, Url]
    public string PublicUrl { get; set; } = "http://localhost:5080";

    /// <summary>A portal session ends after this long without a request (sliding; security-checklist P-03).</summary>
    [Range(1, 24 * 60)]
    public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>…and after this long in any case: sign in again at least once a working day.</summary>
    [Range(1, 7 * 24)]
    public int SessionMaxHours { get; set; } = 12;

    public string ResolveDataDirectory(string contentRoot) => Path.GetFullPath(DataDirectory, contentRoot);
}

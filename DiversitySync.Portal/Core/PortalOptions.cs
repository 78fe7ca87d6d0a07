using System.ComponentModel.DataAnnotations;

namespace DiversitySync.Portal.Core;

/// <summary>Deployment-wide settings: where data lives and how the portal names itself.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>
    /// Folder for the SQLite file and the Data Protection key ring; relative paths are under the content root.
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "App_Data";

    [Required, MaxLength(100)]
    public string OrganisationName { get; set; } = "DiversitySync";

    /// <summary>
    /// The address people and integrations open the portal at: links printed by the server and the CLI, the token
    /// issuer, RFC 8414 metadata. Empty: the first address the server listens on (<see cref="PublicUrlSetup"/>).
    /// </summary>
    [Url]
    public string PublicUrl { get; set; } = "";

    /// <summary>A portal session ends after this long without a request (sliding; P-03).</summary>
    [Range(1, 24 * 60)]
    public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>…and after this long in any case: sign in again at least once a working day.</summary>
    [Range(1, 7 * 24)]
    public int SessionMaxHours { get; set; } = 12;

    /// <summary>An absolute link to a path of this portal, e.g. <c>Link("/oauth/token")</c>.</summary>
    public string Link(string path) => PublicUrl.TrimEnd('/') + path;

    public string ResolveDataDirectory(string contentRoot) => Path.GetFullPath(DataDirectory, contentRoot);
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Data;

/// <summary>
/// Where data lives, resolved from configuration when first needed (not while services are registered, so
/// every configuration source, test settings included, has been applied): Portal:DataDirectory, default
/// App_Data under the content root, and ConnectionStrings:Portal, default diversitysync.db in that folder.
/// </summary>
public sealed class DataPaths
{
    public const string DatabaseFileName = "diversitysync.db";

    public DataPaths(IOptions<PortalOptions> portal, IConfiguration configuration, IHostEnvironment environment, ILogger<DataPaths> logger)
    {
        DataDirectory = portal.Value.ResolveDataDirectory(environment.ContentRootPath);
        if (PrivateFiles.Prepare(DataDirectory, DatabaseFileName, KeyRingFolderName) is { } warning) logger.LogWarning("{Warning}", warning);
        var configured = configuration.GetConnectionString(DataSetup.ConnectionStringName);
        ConnectionString = string.IsNullOrWhiteSpace(configured)
            // Default Timeout is also the busy timeout: Microsoft.Data.Sqlite retries a locked database until it passes.
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(DataDirectory, DatabaseFileName), DefaultTimeout = 30 }.ToString()
            : configured;
    }

    public string DataDirectory { get; }

    public string ConnectionString { get; }

    private const string KeyRingFolderName = "data-protection-keys";

    public string DataProtectionKeys => Path.Combine(DataDirectory, KeyRingFolderName);
}

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
    public DataPaths(IOptions<PortalOptions> portal, IConfiguration configuration, IHostEnvironment environment)
    {
        DataDirectory = portal.Value.ResolveDataDirectory(environment.ContentRootPath);
        PrivateFiles.Prepare(DataDirectory);
        var configured = configuration.GetConnectionString(DataSetup.ConnectionStringName);
        ConnectionString = string.IsNullOrWhiteSpace(configured)
            // Default Timeout is also the busy timeout: Microsoft.Data.Sqlite retries a locked database until it passes.
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(DataDirectory, "diversitysync.db"), DefaultTimeout = 30 }.ToString()
            : configured;
    }

    public string DataDirectory { get; }

    public string ConnectionString { get; }

    public string DataProtectionKeys => Path.Combine(DataDirectory, "data-protection-keys");
}

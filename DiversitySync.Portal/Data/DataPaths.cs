using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Data;

/// <summary>
/// Where data lives, resolved from configuration when first needed (not while services are registered, so
/// every configuration source, test settings included, has been applied): Database:Provider, Portal:DataDirectory
/// (default App_Data under the content root) and ConnectionStrings:Portal (for SQLite, default diversitysync.db in
/// that folder; for PostgreSQL, required).
/// </summary>
public sealed class DataPaths
{
    public const string DatabaseFileName = "diversitysync.db";

    public DataPaths(
        IOptions<PortalOptions> portal, IOptions<DatabaseOptions> database, IConfiguration configuration,
        IHostEnvironment environment, ILogger<DataPaths> logger)
    {
        Provider = database.Value.Provider;
        DataDirectory = portal.Value.ResolveDataDirectory(environment.ContentRootPath);
        if (PrivateFiles.Prepare(DataDirectory, DatabaseFileName, KeyRingFolderName) is { } warning)
        {
            logger.LogWarning("{Warning}", warning);
        }
        var configured = configuration.GetConnectionString(DataSetup.ConnectionStringName);
        if (Provider == DatabaseProvider.PostgreSQL && string.IsNullOrWhiteSpace(configured))
        {
            throw new DatabaseSetupException(
                "Database:Provider is PostgreSQL but ConnectionStrings:Portal is empty: set it, e.g. " +
                "\"Host=db;Database=portal;Username=portal;Password=…\".");
        }
        ConnectionString = string.IsNullOrWhiteSpace(configured)
            // Default Timeout is also the busy timeout: Microsoft.Data.Sqlite retries a locked database until it passes.
            ? new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(DataDirectory, DatabaseFileName),
                DefaultTimeout = 30
            }.ToString()
            : configured;
    }

    public DatabaseProvider Provider { get; }

    public string DataDirectory { get; }

    public string ConnectionString { get; }

    private const string KeyRingFolderName = "data-protection-keys";

    /// <summary>The Data Protection key ring on SQLite (on PostgreSQL it is in the database).</summary>
    public string DataProtectionKeys => Path.Combine(DataDirectory, KeyRingFolderName);
}

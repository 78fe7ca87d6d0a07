using System.ComponentModel.DataAnnotations;

namespace DiversitySync.Portal.Data;

public enum DatabaseProvider
{
    /// <summary>One file beside the app: the embedded default, for one instance.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: for several instances of the app behind a load balancer.</summary>
    PostgreSQL,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// <c>Sqlite</c> (default) or <c>PostgreSQL</c>; the connection string is <c>ConnectionStrings:Portal</c>.
    /// </summary>
    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Apply pending migrations when the server starts (default). Operators who migrate before rolling out
    /// (<c>db migrate</c>) turn this off; the server then refuses to start on a database that is behind.
    /// </summary>
    public bool MigrateAtStart { get; set; } = true;
}

using DiversitySync.Portal.Data.PostgreSQL;

namespace DiversitySync.Portal.Data;

/// <summary>Where the two providers differ in ways a query must know.</summary>
public static class ProviderDifferences
{
    /// <summary>PostgreSQL's LIKE tells cases apart (use ILIKE); SQLite's ignores the case of ASCII letters.</summary>
    public static bool LikeIsCaseSensitive(this PortalDbContext db) => db is PostgresPortalDbContext;

    /// <summary>PostgreSQL sorts NULL above every value, so first when descending; SQLite sorts it below.</summary>
    public static bool NullsSortFirst(this PortalDbContext db) => db is PostgresPortalDbContext;
}

using DiversitySync.Portal.Data.PostgreSQL;

namespace DiversitySync.Portal.Data;

/// <summary>
/// LIKE patterns made from what people type: <c>%</c>, <c>_</c> and the escape character match themselves.
/// Pass <see cref="Escape"/> as the third argument of <c>EF.Functions.Like</c>.
/// </summary>
public static class SqlLike
{
    public const string Escape = "\\";

    public static string Contains(string text) => $"%{Literal(text)}%";

    public static string StartsWith(string text) => $"{Literal(text)}%";

    private static string Literal(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}

/// <summary>Where the two providers differ in ways a query must know.</summary>
public static class ProviderDifferences
{
    /// <summary>PostgreSQL's LIKE tells cases apart (use ILIKE); SQLite's ignores the case of ASCII letters.</summary>
    public static bool LikeIsCaseSensitive(this PortalDbContext db) => db is PostgresPortalDbContext;

    /// <summary>PostgreSQL sorts NULL above every value, so first when descending; SQLite sorts it below.</summary>
    public static bool NullsSortFirst(this PortalDbContext db) => db is PostgresPortalDbContext;
}

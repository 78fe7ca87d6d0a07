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

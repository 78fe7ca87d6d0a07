namespace DiversitySync.Portal.Core;

/// <summary>
/// Reads back the code an enum value is written as in URLs and /v1 (<c>expiring_soon</c>, <c>read_only</c>).
/// </summary>
public static class EnumCodes
{
    public static bool TryParse<T>(string? code, Func<T, string> toCode, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (toCode(candidate) != code) continue;
            value = candidate;
            return true;
        }
        value = default;
        return false;
    }
}

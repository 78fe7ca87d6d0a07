namespace DiversitySync.Portal.Core;

/// <summary>Input quoted back in a message: shortened, and stripped of control characters (L-03).</summary>
public static class EchoedInput
{
    public static string Clean(string value, int length)
    {
        var clean = string.Concat(value.Where(c => !char.IsControl(c)));
        return clean.Length <= length ? clean : clean[..length] + "…";
    }
}

using System.Globalization;
using System.Text;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// Names that are shown as identities (roles, staff) must not pass for another: <c>Owner\u200b</c>, <c>Own\u0435r</c>
/// (a Cyrillic е) and <c>Adm\u0131n</c> look exactly like built-in roles on screen and in the audit log. Names are
/// normalised to NFKC; role names are plain ASCII letters, digits, spaces and a little punctuation; a person's name may
/// use any script's letters, but only one of the scripts whose letters look alike (Latin, Greek, Cyrillic), and no
/// invisible or control characters.
/// </summary>
public static class IdentityNames
{
    private const string Punctuation = " -_.,:'&()/+";

    /// <summary>The role name as stored, or the reason it cannot be one.</summary>
    public static (string? Name, string? Problem) Role(string? typed, int maxLength)
    {
        var name = Normalise(typed);
        if (name.Length is 0 || name.Length > maxLength) return (null, $"A role name is 1 to {maxLength} characters.");
        return name.All(c => char.IsAsciiLetterOrDigit(c) || Punctuation.Contains(c))
            ? (name, null)
            : (null, $"A role name uses the letters A–Z, digits, spaces and {Punctuation.Trim()} only, so that it " +
                $"cannot look like another role.");
    }

    /// <summary>The person's name as stored, or the reason it cannot be one.</summary>
    public static (string? Name, string? Problem) Person(string? typed, int maxLength)
    {
        var name = Normalise(typed);
        if (name.Length is 0 || name.Length > maxLength)
        {
            return (null, $"The name must be 1 to {maxLength} characters.");
        }
        if (name.Any(c => !char.IsLetterOrDigit(c) && !Punctuation.Contains(c)
            && CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)))
        {
            return (null, "The name can hold letters, digits, spaces and - ' . , only: no invisible or special " +
                "characters.");
        }
        return name.Where(char.IsLetter).Select(ScriptOf).Where(s => s is not null).Distinct().Count() > 1
            ? (null, "The name mixes Latin, Greek or Cyrillic letters, which can look alike: write it in one of them.")
            : (name, null);
    }

    private static string Normalise(string? typed) =>
        string.Join(' ', (typed ?? "").Normalize(NormalizationForm.FormKC).Split(' ',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The look-alike scripts; other scripts' letters do not pass for Latin ones.</summary>
    private static string? ScriptOf(char c) => c switch
    {
        <= '\u024F' or (>= '\u1E00' and <= '\u1EFF') => "Latin",
        >= '\u0370' and <= '\u03FF' or (>= '\u1F00' and <= '\u1FFF') => "Greek",
        >= '\u0400' and <= '\u052F' => "Cyrillic",
        _ => null,
    };
}

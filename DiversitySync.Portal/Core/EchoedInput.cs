namespace DiversitySync.Portal.Core;

/// <summary>Which characters of outside text survive <see cref="EchoedInput.Clean"/>.</summary>
public enum EchoedCharacters
{
    /// <summary>Everything but control characters (L-03): for messages, pages and the audit log.</summary>
    NoControls,
    /// <summary>Also line breaks and tabs: a webhook receiver's answer, shown as text.</summary>
    NoControlsButLines,
    /// <summary>
    /// What RFC 6749 §5.2 allows in an error_description (%x20-21 / %x23-5B / %x5D-7E): printable ASCII without " and
    /// \.
    /// </summary>
    OAuthErrorText,
}

/// <summary>
/// The one sanitizer for text from outside (a request's input, a receiver's answer) that is quoted back in a
/// message, stored or shown: only the characters allowed, at most <c>length</c> of them, marked when cut (L-03).
/// </summary>
public static class EchoedInput
{
    public static string Clean(string value, int length, EchoedCharacters allowed = EchoedCharacters.NoControls)
    {
        Func<char, bool> keep = allowed switch
        {
            EchoedCharacters.NoControlsButLines => c => !char.IsControl(c) || c is '\n' or '\t',
            EchoedCharacters.OAuthErrorText => c => c is >= ' ' and <= '~' and not '"' and not '\\',
            _ => c => !char.IsControl(c),
        };
        var clean = string.Concat(value.Where(keep));
        // An error_description must stay ASCII: its mark of a cut is three dots.
        return clean.Length <= length
            ? clean
            : clean[..length] + (allowed == EchoedCharacters.OAuthErrorText ? "..." : "…");
    }

    /// <summary>Null stays null: for optional text.</summary>
    public static string? CleanOptional(string? value, int length) => value is null ? null : Clean(value, length);
}

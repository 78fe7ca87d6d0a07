namespace DiversitySync.Portal.Components.Shared;

/// <summary>Return URLs from forms and query strings: only paths on this site, never an open redirect.</summary>
public static class LocalUrl
{
    /// <summary>
    /// The URL if it is a path on this site, with anything outside ASCII percent-encoded (a Location header is ASCII);
    /// otherwise the fallback.
    /// </summary>
    public static string OrDefault(string? url, string fallback) =>
        url is { Length: > 0 and <= 2048 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Any(char.IsControl)
            ? string.Concat(url.EnumerateRunes().Select(r => r.IsAscii ? r.ToString() : Uri.EscapeDataString(r.ToString())))
            : fallback;
}

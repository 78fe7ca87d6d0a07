namespace DiversitySync.Portal.Components.Shared;

/// <summary>
/// A one-time message carried across a post/redirect/get in a short-lived cookie (like the Identity template's
/// status message): set by the action that redirects, shown and removed by the next page.
/// </summary>
public sealed record StatusMessage(string Text, bool IsError = false)
{
    private const string CookieName = "__Host-ds-status";
    private const string ErrorPrefix = "error:";

    public void SetOn(HttpResponse response) => response.Cookies.Append(CookieName, (IsError ? ErrorPrefix : "") + Text,
        new CookieOptions
        {
            Secure = true,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = TimeSpan.FromMinutes(1),
        });

    public static StatusMessage? Take(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value)) return null;
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Secure = true, Path = "/" });
        return value.StartsWith(ErrorPrefix, StringComparison.Ordinal) ? new(value[ErrorPrefix.Length..],
            IsError: true) : new(value);
    }
}

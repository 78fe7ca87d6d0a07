using System.Text.RegularExpressions;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>Posts a server-rendered form as a browser would: GET the page, copy its antiforgery field, POST.</summary>
public static partial class Forms
{
    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>A page's form (<paramref name="formName"/> is its @formname or FormName).</summary>
    public static async Task<(HttpStatusCode Status, string Html)> PostAsync(
        this HttpClient client, string url, string formName, IEnumerable<KeyValuePair<string, string>> fields,
        bool withAntiforgery = true)
    {
        var response = await client.PostFormAsync(url, [.. fields, new("_handler", formName)],
            withAntiforgery ? url : null);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>
    /// A form that posts to an action (sign out, revoke): the antiforgery field comes from <paramref name="formPage"/>,
    /// the page that shows the form; null sends none.
    /// </summary>
    public static async Task<HttpResponseMessage> PostFormAsync(
        this HttpClient client, string action, IEnumerable<KeyValuePair<string, string>> fields, string? formPage)
    {
        var body = fields.ToList();
        if (formPage is not null)
        {
            body.Add(new("__RequestVerificationToken", await AntiforgeryTokenAsync(client, formPage)));
        }
        return await client.PostAsync(action, new FormUrlEncodedContent(body));
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var match = AntiforgeryField().Match(html);
        if (!match.Success) throw new InvalidOperationException($"{page} has no antiforgery field");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}

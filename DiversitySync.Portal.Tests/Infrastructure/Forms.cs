using System.Net;
using System.Text.RegularExpressions;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>Posts a server-rendered form as a browser would: GET the page, copy its antiforgery field, POST.</summary>
public static partial class Forms
{
    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<(HttpStatusCode Status, string Html)> PostAsync(
        this HttpClient client, string url, string formName, Dictionary<string, string> fields, bool withAntiforgery = true)
    {
        var page = await client.GetStringAsync(url);
        var body = new Dictionary<string, string>(fields) { ["_handler"] = formName };
        if (withAntiforgery) body["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        var response = await client.PostAsync(url, new FormUrlEncodedContent(body));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }
}

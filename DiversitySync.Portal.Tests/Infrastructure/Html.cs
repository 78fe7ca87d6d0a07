using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>Reads server-rendered pages the way a person would: by what is on the screen.</summary>
public static class Html
{
    private static readonly HtmlParser Parser = new();

    public static IDocument Parse(string html) => Parser.ParseDocument(html);

    public static async Task<IDocument> GetDocumentAsync(this HttpClient client, string path) =>
        Parse(await (await client.GetAsync(path)).Content.ReadAsStringAsync());

    /// <summary>The names in the API Keys table, top to bottom.</summary>
    public static IReadOnlyList<string> KeyNames(this IDocument page) =>
        [.. page.QuerySelectorAll("[data-testid=key-row] .key-name a").Select(a => a.TextContent.Trim())];

    public static string? Text(this IDocument page,
        string selector) => page.QuerySelector(selector)?.TextContent.Trim();
}

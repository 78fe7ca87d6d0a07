namespace DiversitySync.Portal;

/// <summary>
/// Which public URL is in force. <c>Portal:PublicUrl</c> wins when set (a reverse proxy, a real host name); otherwise
/// the first address the server listens on (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Urls</c>), so that a server
/// started on another port announces that port as its issuer, token endpoint and setup link.
/// </summary>
public static class PublicUrlSetup
{
    public const string Fallback = "http://localhost:5080";

    public static IHostApplicationBuilder AddPublicUrl(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().PostConfigure(portal =>
        {
            if (string.IsNullOrWhiteSpace(portal.PublicUrl))
            {
                portal.PublicUrl = FromListenAddresses(builder.Configuration["urls"]);
            }
        });
        return builder;
    }

    /// <summary>
    /// The first listen address, with a wildcard host (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) read as
    /// localhost.
    /// </summary>
    public static string FromListenAddresses(string? urls)
    {
        var first = urls?.Split(';',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null) return Fallback;
        var wildcard = first.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0",
            "://localhost").Replace("://[::]", "://localhost");
        return Uri.TryCreate(wildcard, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority)
            : Fallback;
    }

    public static void LogPublicUrl(this WebApplication app)
    {
        var portal = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PortalOptions>>().Value;
        var source = string.IsNullOrWhiteSpace(app.Configuration[$"{PortalOptions.Section}:PublicUrl"]) ? "the first " +
            "listen address" : "Portal:PublicUrl";
        app.Logger.LogInformation("Public URL {PublicUrl} (from {Source}): token issuer, metadata and links use it",
            portal.PublicUrl, source);
    }
}

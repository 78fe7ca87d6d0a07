namespace DiversitySync.Portal.Tests.Components;

/// <summary>Key details, the API documentation, the OpenAPI document and the error pages.</summary>
public class PortalPagesTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Key_details_show_every_field_the_scopes_the_last_use_and_the_keys_audit_events()
    {
        var (client, owner) = await factory.SignedInAsync(name: "Olive Owner");
        var key = await factory.KeyAsync(owner, scopes: "read:api_keys read:users", name: "Payroll export",
            environment: "live");
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.UserAgent.ParseAdd("payroll-sync/2.1");
        await api.AccessTokenAsync(key.Plaintext);

        var page = await client.GetDocumentAsync($"/admin/api-keys/{key.Key.DisplayId}");

        page.QuerySelector("h1")!.TextContent.Should().Contain("Payroll " +
            "export").And.Contain("Live").And.Contain("Active");
        page.Text("[data-testid=key-facts]").Should().Contain(key.Key.DisplayId).And.Contain("Olive " +
            "Owner").And.Contain("Never");
        page.QuerySelectorAll("[data-testid=key-scopes] " +
            "code").Select(c => c.TextContent).Should().Equal("read:api_keys", "read:users");
        page.Text("[data-testid=last-used-details]").Should().Contain("payroll-sync/2.1").And.Contain("token exchange");
        await factory.WithScopeAsync(s => s.GetRequiredService<DiversitySync.Portal.Audit.AuditQueue>().FlushAsync());
        var events = (await client.GetDocumentAsync($"/admin/api-keys/{key.Key.KeyId}"))
            .QuerySelectorAll("[data-testid=key-audit] tbody tr code").Select(c => c.TextContent).ToList();
        events.Should().Contain(["key.created", "token.issued"]);
    }

    [Fact]
    public async Task P05_an_unknown_or_malformed_key_id_is_a_404_page()
    {
        var (client, _) = await factory.SignedInAsync();

        foreach (var id in new[] { "0123456789abcdef", "not-a-key" })
        {
            var response = await client.GetAsync($"/admin/api-keys/{id}");

            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
            Html.Parse(await response.Content.ReadAsStringAsync()).Text("[data-testid=error-page]").Should()
                .Contain("Page not found");
        }
    }

    [Fact]
    public async Task The_api_documentation_is_public_and_lists_the_configured_scope_catalog()
    {
        var page = await factory.CreatePortalClient().GetDocumentAsync("/docs");

        var scopes = page.QuerySelectorAll("[data-testid=scope-catalog] tbody " +
            "code").Select(c => c.TextContent).ToList();
        scopes.Should().Contain(["read:api_keys", "write:user_mfa", "read:participants"],
            "built-in and Scopes:Custom from appsettings.json");
        page.Text("article")!.Should()
            .Contain("grant_type=client_credentials").And.Contain("invalid_client").And.Contain("GET /v1/api-keys");
    }

    [Fact]
    public async Task P10_the_openapi_document_is_404_to_anonymous_callers_in_production_and_served_to_staff()
    {
        (await factory.CreatePortalClient().GetAsync("/openapi/v1.json")).StatusCode.Should()
            .Be(HttpStatusCode.NotFound);
        (await factory.CreatePortalClient().GetAsync("/swagger")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var (client, _) = await factory.SignedInAsync();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain(["/oauth/token", "/oauth/introspect", "/oauth/revoke", "/security/secret-scanning",
            "/v1/me", "/v1/api-keys", "/v1/api-keys/{keyId}/revoke", "/.well-known/jwks.json",
            "/.well-known/openid-configuration"]);
        paths.Should().NotContain(p => p.StartsWith("/admin") || p.StartsWith("/login"));
        document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer")
            .GetProperty("scheme").GetString().Should().Be("bearer");
    }

    [Fact]
    public async Task Unknown_portal_pages_get_the_html_error_page_and_the_api_keeps_problem_json()
    {
        var client = factory.CreatePortalClient();

        var page = await client.GetAsync("/no-such-page");
        var api = await client.GetAsync("/v1/no-such-endpoint");

        page.StatusCode.Should().Be(HttpStatusCode.NotFound);
        Html.Parse(await page.Content.ReadAsStringAsync()).Text("[data-testid=error-page]").Should().Contain("Page " +
            "not found");
        api.StatusCode.Should().Be(HttpStatusCode.NotFound);
        api.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task P01_nothing_in_the_portal_turns_antiforgery_off()
    {
        var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../DiversitySync.Portal"));
        var offenders = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs") || f.EndsWith(".razor"))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f) is var text
                && (text.Contains("DisableAntiforgery()") || text.Contains("IgnoreAntiforgeryToken")
                // a short-circuited endpoint runs before the antiforgery middleware
                || text.Contains("ShortCircuit()")))
            .Select(f => Path.GetRelativePath(source, f))
            .ToList();

        // Only the machine POSTs (the OAuth endpoints and the secret-scanning report) and discovery, which accept no
        // cookie or other ambient credential.
        offenders.Order().Should().Equal(Path.Combine("Core", "MachinePosts.cs"),
            Path.Combine("Tokens", "TokensSetup.cs"));
    }
}

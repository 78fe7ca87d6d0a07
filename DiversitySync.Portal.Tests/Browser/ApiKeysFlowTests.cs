using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>The API Keys screens in Debian's Chromium, from sign-in to a revoked key's token being refused.</summary>
public class ApiKeysFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private readonly HttpClient api = new() { BaseAddress = new Uri(browser.BaseUrl) };

    private async Task<(IPage Page, List<string> Problems)> SignedInPageAsync(StaffMember staff, int width = 1280)
    {
        var (page, problems) = await browser.NewPageAsync(width);
        await page.GotoAsync("/admin/api-keys");
        page.Url.Should().Contain("/login?ReturnUrl=");
        await BrowserFixture.SignInAsync(page, staff);
        return (page, problems);
    }

    private async Task<StaffMember> OwnerAsync(string name)
    {
        var owner = await browser.Factory.StaffAsync(StaffRole.Owner, name);
        await browser.Factory.SetPasswordAsync(owner);
        return owner;
    }

    [Fact]
    public async Task Create_copy_exchange_and_revoke_a_key_from_the_browser()
    {
        var owner = await OwnerAsync("Olive Owner");
        await browser.Factory.KeyAsync(owner, name: "Payroll export", environment: "live");
        await browser.Factory.KeyAsync(owner, name: "Roster Sync API", environment: "test");
        var (page, problems) = await SignedInPageAsync(owner);
        await Assertions.Expect(page.Locator("tr.key-row")).Not.ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "api-keys");

        await page.ClickAsync("[data-testid=open-create]");
        var drawer = page.Locator("#create-key");
        await Assertions.Expect(drawer.Locator("[data-testid=key-name]")).ToBeVisibleAsync();
        await drawer.Locator("[data-testid=scope-filter]").FillAsync("api keys");
        await Assertions.Expect(drawer.Locator("[data-scope-row]")).ToHaveCountAsync(3);
        await page.ClickAsync("[data-testid=select-all]");
        await Assertions.Expect(Scope(page, "read:api_keys")).ToBeCheckedAsync();
        await Assertions.Expect(Scope(page, "write:api_keys")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("[data-testid=create-key]")).ToBeDisabledAsync();
        await drawer.Locator("[data-testid=key-name]").FillAsync("Browser integration");
        await Assertions.Expect(page.Locator("[data-testid=create-key]")).ToBeEnabledAsync();
        await drawer.Locator("[data-testid=scope-filter]").FillAsync("");
        await Assertions.Expect(Scope(page, "read:users")).Not.ToBeCheckedAsync();
        await BrowserFixture.ScreenshotAsync(page, "create-drawer");

        await page.ClickAsync("[data-testid=create-key]");
        var dialog = page.Locator(".mud-dialog", new() { HasText = "Save your API key" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "secret-dialog");
        await page.ClickAsync("[data-testid=copy-secret]");
        await Assertions.Expect(page.Locator("[data-testid=copy-secret]")).ToHaveAttributeAsync("data-copied", "true");
        var key = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        key.Should().Be(await page.InputValueAsync("[data-testid=secret]")).And.StartWith("ds_test_");

        var token = await api.AccessTokenAsync(key);
        (await api.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);

        await page.ClickAsync("[data-testid=secret-done]");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        (await page.ContentAsync()).Should().NotContain(key, "closing the dialog forgets the secret");
        await page.ReloadAsync();
        await BrowserFixture.InteractiveAsync(page);
        (await page.ContentAsync()).Should().NotContain(key,
            "the secret is shown once, and a reload cannot bring it back");

        var row = page.Locator("tr.key-row", new() { HasText = "Browser integration" });
        await row.Locator("[data-testid=row-menu] button").ClickAsync();
        await BrowserFixture.MenuItem(page, "Revoke…").ClickAsync();
        var confirm = page.Locator(".mud-dialog", new() { HasText = "Revoke API key" });
        await Assertions.Expect(confirm).ToContainTextAsync("Browser integration");
        await Assertions.Expect(confirm).ToContainTextAsync("last used just now");
        await BrowserFixture.ScreenshotAsync(page, "revoke-dialog");
        await confirm.Locator("[data-testid=confirm-revoke]").ClickAsync();

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Revoked Browser integration");
        await Assertions.Expect(row.Locator("[data-testid=status-badge]")).ToHaveTextAsync("Revoked");
        (await api.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await row.Locator("a.key-link").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=revoked]")).ToContainTextAsync("Olive Owner");
        await Assertions.Expect(page.Locator("[data-testid=key-audit]")).ToContainTextAsync("key.revoked");
        await BrowserFixture.ScreenshotAsync(page, "key-details");
        await page.ClickAsync("text=API documentation");
        await Assertions.Expect(page.Locator("[data-testid=scope-catalog]")).ToContainTextAsync("read:participants");
        await BrowserFixture.ScreenshotAsync(page, "docs");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task K08_a_key_limited_to_name_and_email_shows_them_behind_its_i_and_its_token_gets_only_those()
    {
        var owner = await OwnerAsync("Fiona Fields");
        var (page, problems) = await SignedInPageAsync(owner);

        await page.ClickAsync("[data-testid=open-create]");
        var drawer = page.Locator("#create-key");
        await drawer.Locator("[data-testid=key-name]").FillAsync("Calendar sync");
        await drawer.Locator("[data-testid=scope-filter]").FillAsync("users");
        await Scope(page, "read:users").CheckAsync();
        await drawer.Locator("[data-testid=fields-staff]").ClickAsync();
        await drawer.Locator("[data-testid=some-fields-staff]").ClickAsync();
        await drawer.Locator("input[data-field=name], [data-field=name] input").CheckAsync();
        await drawer.Locator("input[data-field=email], [data-field=email] input").CheckAsync();
        await Assertions.Expect(drawer.Locator("[data-testid=fields-staff]")).ToContainTextAsync("Fields: name, email");
        await BrowserFixture.ScreenshotAsync(page, "create-drawer-fields");
        await page.ClickAsync("[data-testid=create-key]");
        var key = await page.InputValueAsync("[data-testid=secret]");
        await page.ClickAsync("[data-testid=secret-done]");

        var row = page.Locator("tr.key-row", new() { HasText = "Calendar sync" });
        await Assertions.Expect(row.Locator("[data-testid=access]")).ToContainTextAsync("Read-only");
        await row.Locator("[data-testid=access-info]").HoverAsync();
        await Assertions.Expect(page.Locator("[data-testid=access-info-text]")).ToContainTextAsync("Fields: Users: " +
            "name, email");
        await page.WaitForTimeoutAsync(500); // the tooltip fades in: only the screenshot waits for that
        await BrowserFixture.ScreenshotAsync(page, "key-fields-info");

        var staff = await (await api.GetAsync("/v1/staff", await api.AccessTokenAsync(key))).JsonAsync();
        staff.GetProperty("items").EnumerateArray().Should().NotBeEmpty().And.AllSatisfy(s =>
            s.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("id", "displayName", "email"));
        problems.Should().BeEmpty();
    }

    private static ILocator Scope(IPage page,
        string scope) => page.Locator($"input[data-scope='{scope}'], [data-scope='{scope}'] input");
}

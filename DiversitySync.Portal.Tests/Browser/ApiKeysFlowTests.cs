using System.Net;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>The API Keys screens in Debian's Chromium, from sign-in to a revoked key's token being refused.</summary>
public class ApiKeysFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private readonly HttpClient api = new() { BaseAddress = new Uri(browser.BaseUrl) };

    private async Task<(IPage Page, List<string> Problems)> SignedInPageAsync(StaffMember staff, int width = 1280, bool javaScript = true)
    {
        var (page, problems) = await browser.NewPageAsync(width, javaScript: javaScript);
        await page.GotoAsync("/admin/api-keys");
        page.Url.Should().Contain("/login?ReturnUrl=");
        await page.GetByLabel("Email").FillAsync(staff.Email!);
        await page.GetByLabel("Password").FillAsync(PortalSignIn.Password);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync("**/admin/api-keys");
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
        await BrowserFixture.ScreenshotAsync(page, "api-keys");

        await page.ClickAsync("[data-testid=open-create]");
        var drawer = page.Locator("#create-key");
        await Assertions.Expect(drawer).ToBeVisibleAsync();
        await page.FillAsync("[data-testid=scope-filter]", "api keys");
        await Assertions.Expect(drawer.Locator("[data-scope-row]:visible")).ToHaveCountAsync(2);
        await page.ClickAsync("[data-testid=select-all]");
        await Assertions.Expect(page.Locator("#scope-read-api_keys")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#scope-write-api_keys")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#scope-read-users")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("[data-testid=create-key]")).ToBeDisabledAsync();
        await page.FillAsync("[data-testid=key-name]", "Browser integration");
        await Assertions.Expect(page.Locator("[data-testid=create-key]")).ToBeEnabledAsync();
        await page.FillAsync("[data-testid=scope-filter]", "");
        await BrowserFixture.ScreenshotAsync(page, "create-drawer");

        await page.ClickAsync("[data-testid=create-key]");
        var dialog = page.Locator("#new-key");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "secret-dialog");
        await page.ClickAsync("[data-testid=copy-secret]");
        await Assertions.Expect(page.Locator("[data-testid=copy-secret]")).ToContainTextAsync("Copied");
        var key = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        key.Should().Be(await page.InputValueAsync("[data-testid=secret]")).And.StartWith("ds_test_");

        var token = await api.AccessTokenAsync(key);
        (await api.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);

        await page.ClickAsync("[data-testid=secret-done]");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await page.ReloadAsync();
        (await page.ContentAsync()).Should().NotContain(key, "the secret is shown once, and a reload does not post again");

        var row = page.Locator("[data-testid=key-row]", new() { HasText = "Browser integration" });
        await row.Locator("[data-testid=row-menu]").ClickAsync();
        await row.Locator("[data-testid=revoke-key]").ClickAsync();
        var confirm = page.Locator(".modal.show [data-testid=confirm-revoke]");
        await Assertions.Expect(page.Locator(".modal.show")).ToContainTextAsync("Browser integration");
        await Assertions.Expect(page.Locator(".modal.show")).ToContainTextAsync("last used");
        await BrowserFixture.ScreenshotAsync(page, "revoke-dialog");
        await confirm.ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=status-message]")).ToContainTextAsync("Revoked Browser integration");
        await Assertions.Expect(row.Locator("[data-testid=status-badge]")).ToHaveTextAsync("Revoked");
        (await api.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await row.Locator(".key-name a").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=revoked]")).ToContainTextAsync("Olive Owner");
        await Assertions.Expect(page.Locator("[data-testid=key-audit]")).ToContainTextAsync("key.revoked");
        await BrowserFixture.ScreenshotAsync(page, "key-details");
        await page.ClickAsync("text=API documentation");
        await Assertions.Expect(page.Locator("[data-testid=scope-catalog]")).ToContainTextAsync("read:participants");
        await BrowserFixture.ScreenshotAsync(page, "docs");
        problems.Should().BeEmpty();
    }
}

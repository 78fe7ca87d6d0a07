using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>Rolling a key and setting its IP allowlist from the key's page, in Chromium (K-10, K-11).</summary>
public class KeyLifecycleFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private PortalFactory Factory => browser.Factory;

    [Fact]
    public async Task Rolling_from_key_details_shows_the_new_key_once_and_the_old_one_as_replaced()
    {
        var owner = await Factory.StaffAsync(StaffRole.Owner, "Rolling Owner");
        await Factory.SetPasswordAsync(owner);
        var old = await Factory.KeyAsync(owner, "read:api_keys read:users", name: "Payroll sync",
            allowedIps: ["203.0.113.0/24"]);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync($"/admin/api-keys/{old.Key.KeyId}");
        await BrowserFixture.SignInAsync(page, owner, $"**/admin/api-keys/{old.Key.KeyId}");
        await BrowserFixture.InteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=allowed-ips]")).ToContainTextAsync("203.0.113.0/24");

        await page.ClickAsync("[data-testid=roll-key]");
        await Assertions.Expect(page.Locator("[data-testid=roll-stops]")).ToContainTextAsync("stops working");
        await BrowserFixture.ScreenshotAsync(page, "roll-dialog");
        await page.ClickAsync("[data-testid=confirm-roll]");

        var secret = page.Locator("[data-testid=secret]");
        await Assertions.Expect(secret).ToBeVisibleAsync();
        var newKey = await secret.InputValueAsync();
        await page.ClickAsync("[data-testid=secret-done]");

        await Assertions.Expect(page.Locator("h1 [data-testid=status-badge]")).ToHaveTextAsync("Replaced");
        await Assertions.Expect(page.Locator("[data-testid=stops-at]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=replaced-by]"))
            .ToHaveTextAsync(ApiKeyFormat.Parse(newKey)!.Value.KeyId, new() { UseInnerText = true });
        (await page.ContentAsync()).Should().NotContain(newKey, "the secret is shown once, in its dialog only");
        await BrowserFixture.ScreenshotAsync(page, "key-replaced");

        await page.Locator("[data-testid=replaced-by] a").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=replaces] a")).ToHaveTextAsync(old.Key.KeyId);
        await Assertions.Expect(page.Locator("[data-testid=allowed-ips]")).ToContainTextAsync("203.0.113.0/24");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_bad_allowlist_is_refused_beside_the_field_and_a_good_one_is_saved()
    {
        var owner = await Factory.StaffAsync(StaffRole.Owner, "Allowlist Owner");
        await Factory.SetPasswordAsync(owner);
        var key = await Factory.KeyAsync(owner, name: "Badge printer");
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync($"/admin/api-keys/{key.Key.KeyId}");
        await BrowserFixture.SignInAsync(page, owner, $"**/admin/api-keys/{key.Key.KeyId}");
        await BrowserFixture.InteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=allowed-ips]")).ToContainTextAsync("Any address");

        await page.ClickAsync("[data-testid=edit-allowed-ips-button]");
        await page.Locator("#edit-allowed-ips").FillAsync("10.0.0.1/8");
        await page.ClickAsync("[data-testid=save-allowed-ips]");
        await Assertions.Expect(page.Locator("[data-testid=allowed-ips-dialog]"))
            .ToContainTextAsync("did you mean 10.0.0.0/8");
        await page.Locator("#edit-allowed-ips").FillAsync("10.0.0.0/8\n2001:db8::/32");
        await page.ClickAsync("[data-testid=save-allowed-ips]");

        await Assertions.Expect(page.Locator("[data-testid=allowed-ips]"))
            .ToContainTextAsync("10.0.0.0/8, 2001:db8::/32");
        problems.Should().BeEmpty();
    }
}

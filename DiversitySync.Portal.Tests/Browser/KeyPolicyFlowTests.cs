using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>An Owner sets the key policy on Admin → Settings, and Review lists the keys made before it (K-12).</summary>
public class KeyPolicyFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private PortalFactory Factory => browser.Factory;

    [Fact]
    public async Task K12_an_owner_saves_a_policy_and_review_lists_the_keys_that_break_it()
    {
        var owner = await Factory.StaffAsync(StaffRole.Owner, "Policy Owner");
        await Factory.SetPasswordAsync(owner);
        await Factory.KeyAsync(owner, "read:api_keys", name: "Forever live key");
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync("/admin/settings");
        await BrowserFixture.SignInAsync(page, owner, "**/admin/settings");
        await BrowserFixture.InteractiveAsync(page);

        await page.Locator("#live-max-days").FillAsync("365");
        await page.Locator("#unused-days").FillAsync("90");
        await page.GetByLabel("Keys holding a write: scope need an IP allowlist").CheckAsync();
        await page.ClickAsync("[data-testid=save-policy]");
        await Assertions.Expect(page.GetByText("Key policy saved.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=policy-errors]")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "settings");

        await page.ClickAsync("a.admin-tab:has-text('Review')");
        var card = page.Locator("[data-card=breaks-policy]");
        await Assertions.Expect(card.Locator("[data-testid=review-count]")).ToHaveTextAsync("1");
        await card.ClickAsync();
        await Assertions.Expect(page.Locator("tr.key-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tr.key-row")).ToContainTextAsync("Forever live key");
        problems.Should().BeEmpty();
    }
}

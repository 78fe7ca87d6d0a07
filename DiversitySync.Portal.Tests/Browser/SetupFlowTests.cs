namespace DiversitySync.Portal.Tests.Browser;

public class SetupFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_printed_setup_link_creates_the_owner_in_a_real_browser()
    {
        var token = await browser.Factory.WithScopeAsync(s =>
            s.GetRequiredService<StaffService>().CreateSetupTokenAsync(Actor.System));
        var (page, problems) = await browser.NewPageAsync();

        await page.GotoAsync($"{browser.BaseUrl}/setup?token={token}");
        await BrowserFixture.ScreenshotAsync(page, "setup-form");
        await page.GetByLabel("Your name").FillAsync("Olive Owner");
        await page.GetByLabel("Email").FillAsync("olive@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Correct-Horse-9");
        await page.GetByLabel("Confirm password").FillAsync("Correct-Horse-8");
        await page.ClickAsync("[data-testid=create-owner]");

        (await page.TextContentAsync("form")).Should().Contain("The passwords do not match.");
        await BrowserFixture.ScreenshotAsync(page, "setup-mismatch");

        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Correct-Horse-9");
        await page.GetByLabel("Confirm password").FillAsync("Correct-Horse-9");
        await page.ClickAsync("[data-testid=create-owner]");

        (await page.TextContentAsync("[data-testid=setup-done]")).Should().Contain("Olive Owner");
        await BrowserFixture.ScreenshotAsync(page, "setup-done");
        problems.Should().BeEmpty();
    }
}

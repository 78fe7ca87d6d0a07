namespace DiversitySync.Portal.Tests.Browser;

/// <summary>
/// The front-end pipeline end to end: npm packages copied into wwwroot/lib, served, and applied in Chromium.
/// </summary>
public class HomePageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task The_home_page_loads_bootstrap_and_its_icons_without_errors(int width)
    {
        var (page, problems) = await browser.NewPageAsync(width);

        await page.GotoAsync(browser.BaseUrl);
        await page.EvaluateAsync("document.fonts.ready");
        await BrowserFixture.ScreenshotAsync(page, $"home-{width}");

        problems.Should().BeEmpty();
        (await page.TextContentAsync("h1")).Should().Be("DiversitySync Portal");
        (await page.EvaluateAsync<string>("getComputedStyle(document.body).margin")).Should().Be("0px",
            "Bootstrap's reboot is applied");
        (await page.EvaluateAsync<bool>("document.fonts.check('1em bootstrap-icons')")).Should().BeTrue("the icon " +
            "font is served");
        (await page.IsVisibleAsync("[data-testid=setup-needed]")).Should().BeTrue("a new portal explains how to " +
            "create the Owner");
    }
}

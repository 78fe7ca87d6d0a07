using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DiversitySync.Portal.Tests.Browser;

public class DebugTmpTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Debug()
    {
        var owner = await browser.Factory.StaffAsync(StaffRole.Owner, "Olive Owner");
        await browser.Factory.SetPasswordAsync(owner);
        var (page, problems) = await browser.NewPageAsync();
        page.Console += (_, m) => output.WriteLine($"console {m.Type}: {m.Text}");
        await page.GotoAsync("/admin/api-keys");
        await page.GetByLabel("Email").FillAsync(owner.Email!);
        await page.GetByLabel("Password").FillAsync(PortalSignIn.Password);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync("**/admin/api-keys");
        await BrowserFixture.InteractiveAsync(page);
        await page.ClickAsync("[data-testid=open-create]");
        await Task.Delay(1500);
        foreach (var p in problems) output.WriteLine(p);
        output.WriteLine(await page.EvaluateAsync<string>("(document.querySelector('.mud-drawer') || document.body).outerHTML.slice(0, 2500)"));
        await BrowserFixture.ScreenshotAsync(page, "debug");
    }
}

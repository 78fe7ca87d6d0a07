using DiversitySync.Portal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>The API Keys page's live search, its no-JavaScript fallback and its narrow layout, in Chromium.</summary>
public class ApiKeysPageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<(IPage Page, List<string> Problems)> SignInAsync(int width = 1280, bool javaScript = true)
    {
        var owner = await browser.Factory.StaffAsync(StaffRoleNames.Owner, "Olive Owner");
        await browser.Factory.SetPasswordAsync(owner);
        foreach (var (name, env) in new[] { ("Payroll export", "live"), ("Roster Sync API", "test"), ("Invoice Integration", "live") })
        {
            await browser.Factory.KeyAsync(owner, name: name, environment: env);
        }
        var (page, problems) = await browser.NewPageAsync(width, javaScript: javaScript);
        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync(owner.Email!);
        await page.GetByLabel("Password").FillAsync(PortalSignIn.Password);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync("**/admin/api-keys");
        // Tests in this class share one portal: each looks at its own owner's keys.
        await page.GotoAsync($"/admin/api-keys?creator={owner.Id}");
        return (page, problems);
    }

    private static ILocator Rows(IPage page, string name) => page.Locator("[data-testid=key-row]", new() { HasText = name });

    [Fact]
    public async Task The_table_updates_as_you_type_keeping_focus_and_the_url_and_back_works()
    {
        var (page, problems) = await SignInAsync();
        var loads = 0;
        page.Load += (_, _) => loads++;
        var search = page.Locator("[data-testid=search]");

        await search.ClickAsync();
        await search.PressSequentiallyAsync("payr");

        await Assertions.Expect(page.Locator("[data-testid=key-row]")).ToHaveCountAsync(1);
        await Assertions.Expect(Rows(page, "Payroll export")).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/admin/api-keys\?q=payr&creator=[0-9a-f-]+$"));
        (await page.EvaluateAsync<string>("document.activeElement.id")).Should().Be("key-search");
        (await page.EvaluateAsync<int>("document.activeElement.selectionStart")).Should().Be(4);
        loads.Should().Be(0, "the page was not reloaded");

        await page.SelectOptionAsync("[data-testid=env-filter]", "test");
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("No keys match");
        await page.FillAsync("[data-testid=search]", "");
        await Assertions.Expect(page.Locator("[data-testid=key-row]")).ToHaveCountAsync(1);
        await Assertions.Expect(Rows(page, "Roster Sync API")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "api-keys-filtered");

        // Back restores the previous search from the server (htmx keeps no copy of pages).
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?q=payr&creator=[0-9a-f-]+&env=test$"));
        await Assertions.Expect(page.Locator("[data-testid=search]")).ToHaveValueAsync("payr");
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("No keys match");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Without_javascript_filters_are_a_get_form_and_creating_shows_the_key_once()
    {
        var (page, problems) = await SignInAsync(javaScript: false);

        await page.SelectOptionAsync("[data-testid=env-filter]", "live");
        await page.ClickAsync("text=Apply");
        await Assertions.Expect(page.Locator("[data-testid=key-row]")).ToHaveCountAsync(2);
        page.Url.Should().Contain("env=live");

        await page.ClickAsync("[data-testid=open-create]");
        page.Url.Should().Contain("create=1");
        await page.FillAsync("[data-testid=key-name]", "No-script integration");
        await page.CheckAsync("#env-live");
        await page.CheckAsync("#scope-read-api_keys");
        await page.ClickAsync("[data-testid=create-key]");

        await Assertions.Expect(page.Locator("[data-testid=secret]")).ToBeVisibleAsync();
        var secret = await page.InputValueAsync("[data-testid=secret]");
        await BrowserFixture.ScreenshotAsync(page, "secret-dialog-no-js");
        await page.ClickAsync("[data-testid=secret-done]");
        (await page.ContentAsync()).Should().NotContain(secret);
        await Assertions.Expect(Rows(page, "No-script integration")).ToBeVisibleAsync();

        await Rows(page, "No-script integration").Locator("[data-testid=row-menu]").ClickAsync();
        await page.ClickAsync("[data-testid=revoke-key]");
        await page.ClickAsync(".modal.show [data-testid=confirm-revoke]");
        await Assertions.Expect(page.Locator("[data-testid=status-message]")).ToContainTextAsync("Revoked No-script integration");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task At_390_pixels_the_list_and_the_drawer_fit_the_screen()
    {
        var (page, problems) = await SignInAsync(width: 390);
        await BrowserFixture.ScreenshotAsync(page, "api-keys-390");
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).Should().BeTrue("the page itself does not scroll sideways; the table scrolls in its box");

        await page.ClickAsync("[data-testid=open-create]");
        await Assertions.Expect(page.Locator("#create-key")).ToBeVisibleAsync();
        var drawer = await page.Locator("#create-key").BoundingBoxAsync();
        drawer!.Width.Should().BeLessThanOrEqualTo(390);
        await BrowserFixture.ScreenshotAsync(page, "create-drawer-390");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task The_create_drawer_is_usable_from_the_keyboard()
    {
        var (page, problems) = await SignInAsync();

        await page.FocusAsync("[data-testid=open-create]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#create-key")).ToBeVisibleAsync();
        await page.Locator("[data-testid=key-name]").FocusAsync();
        await page.Keyboard.TypeAsync("Keyboard key");
        await page.Locator("#scope-read-api_keys").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator("[data-testid=create-key]")).ToBeEnabledAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#create-key")).Not.ToBeVisibleAsync();
        problems.Should().BeEmpty();
    }
}

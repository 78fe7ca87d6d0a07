using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>The API Keys page's live search and Back, its narrow layout and its keyboard use, in Chromium.</summary>
public class ApiKeysPageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<(IPage Page, List<string> Problems, StaffMember Owner)> SignInAsync(int width = 1280)
    {
        var owner = await browser.Factory.StaffAsync(StaffRole.Owner, "Olive Owner");
        await browser.Factory.SetPasswordAsync(owner);
        foreach (var (name, env) in new[] { ("Payroll export", "live"), ("Roster Sync API", "test"),
            ("Invoice Integration", "live") })
        {
            await browser.Factory.KeyAsync(owner, name: name, environment: env);
        }
        var (page, problems) = await browser.NewPageAsync(width);
        await page.GotoAsync("/login");
        await BrowserFixture.SignInAsync(page, owner);
        // Tests in this class share one portal: each looks at its own owner's keys.
        await page.GotoAsync($"/admin/api-keys?creator={owner.Id}");
        await BrowserFixture.InteractiveAsync(page);
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(3);
        return (page, problems, owner);
    }

    private static ILocator Rows(IPage page, string? name = null) => page.Locator("tr.key-row",
        new() { HasText = name });

    private static async Task ChooseAsync(IPage page, string select, string option)
    {
        await page.ClickAsync($"[data-testid={select}]");
        await BrowserFixture.MenuItem(page, option).ClickAsync();
    }

    [Fact]
    public async Task The_table_updates_as_you_type_keeping_focus_and_the_url_and_back_works()
    {
        var (page, problems, _) = await SignInAsync();
        var loads = 0;
        page.Load += (_, _) => loads++;
        var search = page.Locator("#key-search");

        await search.ClickAsync();
        await search.PressSequentiallyAsync("payr");

        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Rows(page, "Payroll export")).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/admin/api-keys\?q=payr&creator=[0-9a-f-]+$"));
        (await page.EvaluateAsync<string>("document.activeElement.id")).Should().Be("key-search");
        (await page.EvaluateAsync<int>("document.activeElement.selectionStart")).Should().Be(4);

        await ChooseAsync(page, "env-filter", "Test");
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("No keys match");
        await search.FillAsync("");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Rows(page, "Roster Sync API")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "api-keys-filtered");
        loads.Should().Be(0, "the page was never reloaded: the circuit redrew the table");

        // Back returns to the view before, from the URL alone.
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?q=payr&creator=[0-9a-f-]+&env=test$"));
        await Assertions.Expect(search).ToHaveValueAsync("payr");
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("No keys match");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task At_390_pixels_the_list_and_the_drawer_fit_the_screen()
    {
        var (page, problems, _) = await SignInAsync(width: 390);
        await BrowserFixture.ScreenshotAsync(page, "api-keys-390");
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= " +
            "window.innerWidth")).Should().BeTrue("the page itself does not scroll sideways");

        await page.ClickAsync("[data-testid=open-create]");
        await Assertions.Expect(page.Locator("[data-testid=key-name]")).ToBeVisibleAsync();
        var drawer = await page.Locator("#create-key").BoundingBoxAsync();
        drawer!.Width.Should().BeLessThanOrEqualTo(390);
        await BrowserFixture.ScreenshotAsync(page, "create-drawer-390");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_key_is_made_with_the_keyboard_alone()
    {
        var (page, problems, _) = await SignInAsync();

        await page.FocusAsync("[data-testid=open-create]");
        await page.Keyboard.PressAsync("Enter");
        var name = page.Locator("[data-testid=key-name]");
        await Assertions.Expect(name).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Keyboard key");
        await page.Locator("input[data-scope='read:api_keys']").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        var create = page.Locator("[data-testid=create-key]");
        await Assertions.Expect(create).ToBeEnabledAsync();
        await create.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=secret]")).ToBeVisibleAsync();
        // The dialog takes the focus as it opens; then the keyboard moves on to its button.
        await Assertions.Expect(page.Locator(".mud-dialog :focus")).ToHaveCountAsync(1);
        var done = page.Locator("[data-testid=secret-done]");
        await done.FocusAsync();
        await Assertions.Expect(done).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=secret]")).ToHaveCountAsync(0);
        await Assertions.Expect(Rows(page, "Keyboard key")).ToBeVisibleAsync();

        await page.FocusAsync("[data-testid=open-create]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(name).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(name).ToHaveCountAsync(0);
        problems.Should().BeEmpty();
    }
}

using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>The review desk in Chromium: a card opens exactly its keys, a key's usage chart, and a bulk revoke.</summary>
public class ReviewFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private PortalFactory Factory => browser.Factory;

    private DateTime Now => Factory.Time.GetUtcNow().UtcDateTime;

    /// <summary>A key as it would be after the days went by: made and last used that long ago.</summary>
    private async Task<string> KeyAsync(StaffMember creator, string name, string scopes = ScopeCatalog.ReadApiKeys,
        int createdDaysAgo = 0, int? usedDaysAgo = null)
    {
        var keyId = (await Factory.KeyAsync(creator, scopes, name: name)).Key.KeyId;
        var created = Now.AddDays(-createdDaysAgo);
        DateTime? used = usedDaysAgo is { } u ? Now.AddDays(-u) : null;
        await Factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.Where(k => k.KeyId == keyId)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.CreatedAt, created).SetProperty(k => k.LastUsedAt, used)));
        return keyId;
    }

    /// <summary>Some days of use, written as the usage writer writes them.</summary>
    private Task UsedAsync(string keyId, string scope, int days) => Factory.WithScopeAsync(s =>
        s.GetRequiredService<PortalDbContext>().AddAsync(
            [.. Enumerable.Range(0, days).Select(d => new KeyUsageDay
            {
                KeyId = keyId, Day = DateOnly.FromDateTime(Now.AddDays(-d)), Issued = 20 + d % 7 * 5,
                ApiCalls = 100 + d % 5 * 30, RefusedSecret = d % 9 == 0 ? 3 : 0,
            })],
            [.. Enumerable.Range(0, days).Select(d => new KeyScopeUsageDay
            {
                KeyId = keyId, Scope = scope, Day = DateOnly.FromDateTime(Now.AddDays(-d)), Calls = 100,
                LastAt = Now.AddDays(-d),
            })], CancellationToken.None));

    [Fact]
    public async Task A_review_card_opens_exactly_its_keys_and_a_key_shows_its_usage_chart()
    {
        var owner = await Factory.StaffAsync(StaffRole.Owner, "Olive Owner");
        await Factory.SetPasswordAsync(owner);
        var rita = await Factory.StaffAsync(StaffRole.Admin, "Rita Roster");
        await KeyAsync(owner, "Payroll export", createdDaysAgo: 120);
        await KeyAsync(rita, "Badge printer", createdDaysAgo: 3);
        var roster = await KeyAsync(rita, "Roster Sync API", "read:api_keys read:users", createdDaysAgo: 200,
            usedDaysAgo: 0);
        await UsedAsync(roster, "read:api_keys", 60);
        await KeyAsync(owner, "Calendar feed", "read:api_keys write:api_keys", createdDaysAgo: 10, usedDaysAgo: 1);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync("/admin/review");
        await BrowserFixture.SignInAsync(page, owner, "**/admin/review");

        var neverUsed = page.Locator("[data-card=never-used]");
        await Assertions.Expect(neverUsed.Locator("[data-testid=review-count]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("[data-testid=usage-chart] svg").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "review");
        await neverUsed.ClickAsync();

        await page.WaitForURLAsync("**/admin/api-keys?*used=never*");
        await BrowserFixture.InteractiveAsync(page);
        await Assertions.Expect(page.Locator("tr.key-row")).ToHaveCountAsync(2);
        (await page.Locator("tr.key-row .key-link").AllTextContentsAsync()).Should()
            .BeEquivalentTo("Payroll export", "Badge printer");
        await Assertions.Expect(page.Locator("[data-testid=review-filter]")).ToHaveTextAsync("Never used");
        // The seed's words: a creator avatar on every row, and Date created beside All creators.
        await Assertions.Expect(page.Locator("tr.key-row", new() { HasText = "Payroll export" })
            .Locator("[data-testid=creator] .initials")).ToHaveTextAsync("OO");
        await Assertions.Expect(page.GetByLabel("Date created")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "api-keys-review-filter");

        await page.GotoAsync($"/admin/api-keys/{roster}");
        await BrowserFixture.InteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=usage-chart] svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-scope-use='read:users'] [data-testid=scope-last-used]"))
            .ToHaveTextAsync("Not used in 90 days");
        await Assertions.Expect(page.Locator("[data-scope-use='read:api_keys'] [data-testid=scope-last-used]"))
            .ToHaveTextAsync("Last used just now");
        await BrowserFixture.ScreenshotAsync(page, "key-usage");

        await page.ClickAsync("[data-testid=replace-link]");
        var drawer = page.Locator("#create-key");
        await Assertions.Expect(drawer.Locator("[data-testid=key-name] input, input#key-name").First)
            .ToHaveValueAsync("Roster Sync API (narrower)");
        await Assertions.Expect(drawer.Locator("input[data-scope='read:api_keys']")).ToBeCheckedAsync();
        await Assertions.Expect(drawer.Locator("input[data-scope='read:users']")).Not.ToBeCheckedAsync();
        await Assertions.Expect(drawer.GetByLabel("Filter scopes")).ToBeVisibleAsync();
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Revoke_selected_says_what_was_done_and_the_keys_show_as_revoked()
    {
        var owner = await Factory.StaffAsync(StaffRole.Owner, "Bulk Owner");
        await Factory.SetPasswordAsync(owner);
        await KeyAsync(owner, "Bulk one");
        await KeyAsync(owner, "Bulk two");
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync("/admin/api-keys?q=bulk");
        await BrowserFixture.SignInAsync(page, owner, "**/admin/api-keys?q=bulk");
        await Assertions.Expect(page.Locator("tr.key-row")).ToHaveCountAsync(2);

        foreach (var row in await page.Locator("tr.key-row").AllAsync())
        {
            await row.Locator("input[type=checkbox]").CheckAsync();
        }
        await Assertions.Expect(page.Locator("[data-testid=bulk-count]")).ToHaveTextAsync("2 selected");
        await page.ClickAsync("[data-testid=bulk-revoke]");
        await page.Locator("#bulk-reason").FillAsync("review clean-up");
        await page.ClickAsync("[data-testid=confirm-bulk]");

        await Assertions.Expect(page.Locator("[data-testid=bulk-result]")).ToHaveTextAsync("Revoked 2 keys.");
        await BrowserFixture.ScreenshotAsync(page, "bulk-result");
        await page.ClickAsync("[data-testid=bulk-done]");
        await Assertions.Expect(page.Locator("tr.key-row [data-testid=status-badge]", new() { HasText = "Revoked" }))
            .ToHaveCountAsync(2);
        problems.Should().BeEmpty();
    }
}

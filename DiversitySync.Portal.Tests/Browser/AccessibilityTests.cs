using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>
/// axe-core, the engine behind browsers' accessibility audits, on every screen, the drawer and each dialog: no
/// serious or critical violation anywhere.
/// </summary>
public class AccessibilityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private readonly List<string> violations = [];

    /// <summary>
    /// Audits the page as it has settled. axe reads colours as they are drawn at that instant, and a transition in
    /// flight (a button fading from disabled to enabled) has the colours of neither state, so transitions and
    /// animations are ended first: each element shows its final style.
    /// </summary>
    private async Task AuditAsync(IPage page, string what)
    {
        await page.AddStyleTagAsync(new()
        {
            Content = "*, *::before, *::after { transition: none !important; " +
            "animation: none !important; }"
        });
        var result = await page.RunAxe();
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            violations.Add($"{what}: {violation.Id} ({violation.Impact}) {violation.Help} at " +
                $"{string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html))}");
        }
    }

    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await BrowserFixture.InteractiveAsync(page);
    }

    [Fact]
    public async Task No_screen_drawer_or_dialog_has_a_serious_or_critical_violation()
    {
        var owner = await browser.Factory.StaffAsync(StaffRole.Owner, "Olive Owner");
        await browser.Factory.SetPasswordAsync(owner);
        // The profile's first visit makes an authenticator key, a new security stamp that ends the owner's other open
        // pages (P-12): the page being left could otherwise send the browser to sign in mid-walk. Made beforehand.
        await browser.Factory.WithScopeAsync(s => s.GetRequiredService<StaffMfa>().EnrolmentAsync(Seed.ActorOf(owner)));
        var rita = await browser.Factory.StaffAsync(StaffRole.Admin, "Rita Roster");
        var key = await browser.Factory.KeyAsync(rita, name: "Roster Sync API", environment: "live");
        await browser.Factory.RoleAsync("Key reviewer", "read:api_keys read:audit");
        var (page, _) = await browser.NewPageAsync();

        await page.GotoAsync("/");
        await AuditAsync(page, "home");
        await page.GotoAsync("/docs");
        await AuditAsync(page, "docs");
        await page.GotoAsync("/login");
        await AuditAsync(page, "sign-in");
        await BrowserFixture.SignInAsync(page, owner);

        await Assertions.Expect(page.Locator("tr.key-row").First).ToBeVisibleAsync();
        await AuditAsync(page, "API Keys");
        await page.ClickAsync("[data-testid=open-create]");
        await page.Locator("[data-testid=key-name]").FillAsync("Audited key");
        await page.Locator("input[data-scope='read:api_keys']").CheckAsync();
        // The circuit enables Create key once a scope is ticked: audit that state, not the moment before it.
        await Assertions.Expect(page.Locator("[data-testid=create-key]")).ToBeEnabledAsync();
        await AuditAsync(page, "create drawer");
        await page.ClickAsync("[data-testid=create-key]");
        await Assertions.Expect(page.Locator("[data-testid=secret]")).ToBeVisibleAsync();
        await AuditAsync(page, "secret dialog");
        await page.ClickAsync("[data-testid=secret-done]");
        await page.Locator("tr.key-row",
            new() { HasText = "Roster Sync API" }).Locator("[data-testid=row-menu] button").ClickAsync();
        await AuditAsync(page, "row menu");
        await BrowserFixture.MenuItem(page, "Revoke…").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=confirm-revoke]")).ToBeVisibleAsync();
        await AuditAsync(page, "revoke dialog");
        await page.Keyboard.PressAsync("Escape");
        await page.ClickAsync("[data-testid=revoke-all]");
        await Assertions.Expect(page.Locator("[data-testid=confirm-revoke-all]")).ToBeVisibleAsync();
        await AuditAsync(page, "revoke all dialog");
        await page.Keyboard.PressAsync("Escape");

        await OpenAsync(page, $"/admin/api-keys/{key.Key.KeyId}");
        await Assertions.Expect(page.Locator("[data-testid=usage-chart] svg").First).ToBeVisibleAsync();
        await AuditAsync(page, "key details");
        await OpenAsync(page, "/admin/review");
        await Assertions.Expect(page.Locator("[data-testid=review-card]").First).ToBeVisibleAsync();
        await AuditAsync(page, "Review");
        await OpenAsync(page, "/admin/api-keys?used=never&status=active");
        await page.Locator("tr.key-row").First.Locator("input[type=checkbox]").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=bulk-bar]")).ToBeVisibleAsync();
        await AuditAsync(page, "API Keys with a selection and review filters");
        await page.ClickAsync("[data-testid=bulk-expiry]");
        await Assertions.Expect(page.Locator("[data-testid=confirm-bulk]")).ToBeVisibleAsync();
        await AuditAsync(page, "bulk expiry dialog");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

        await OpenAsync(page, "/admin/settings");
        await Assertions.Expect(page.Locator("[data-testid=save-policy]")).ToBeVisibleAsync();
        await AuditAsync(page, "Settings");
        await OpenAsync(page, "/admin/users");
        await AuditAsync(page, "Users");
        await page.ClickAsync("[data-testid=open-invite]");
        await Assertions.Expect(page.Locator("[data-testid=invite-name]")).ToBeVisibleAsync();
        await AuditAsync(page, "invite dialog");
        await page.Keyboard.PressAsync("Escape");
        var row = page.Locator("tr.user-row", new() { HasText = "Rita Roster" });
        foreach (var (item, title) in new[] { ("Change roles…", "roles dialog"), ("Archive…", "archive dialog"),
            ("Reset password…", "reset password dialog") })
        {
            await row.Locator("[data-testid=user-menu] button").ClickAsync();
            await BrowserFixture.MenuItem(page, item).ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
            await AuditAsync(page, title);
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        }
        await page.ClickAsync("[data-testid=new-role]");
        await Assertions.Expect(page.Locator("[data-testid=role-name]")).ToBeVisibleAsync();
        await AuditAsync(page, "role dialog");
        await page.Keyboard.PressAsync("Escape");

        await OpenAsync(page, "/admin/audit");
        await AuditAsync(page, "Audit log");
        await OpenAsync(page, "/admin/webhooks");
        await AuditAsync(page, "Webhooks");
        await page.ClickAsync("[data-testid=add-endpoint]");
        await Assertions.Expect(page.Locator("[data-testid=endpoint-url]")).ToBeVisibleAsync();
        await AuditAsync(page, "endpoint dialog");
        await page.Keyboard.PressAsync("Escape");
        await page.ClickAsync("[data-testid=reveal-secret]");
        await Assertions.Expect(page.Locator("[data-testid=shared-secret]")).ToBeVisibleAsync();
        await AuditAsync(page, "shared secret dialog");
        await page.ClickAsync("[data-testid=shared-secret-done]");
        // Let the dialog finish closing over the circuit first: a navigation started meanwhile can be aborted by it.
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await page.GotoAsync("/account/profile");
        await AuditAsync(page, "profile");
        await BrowserFixture.ScreenshotAsync(page, "profile");
        await page.SetViewportSizeAsync(390, 800);
        await OpenAsync(page, "/admin/api-keys");
        await AuditAsync(page, "API Keys at 390 px");

        violations.Should().BeEmpty(string.Join("\n", violations));
    }
}

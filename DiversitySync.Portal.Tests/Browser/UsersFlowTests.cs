using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>The Users and Audit log screens in Debian's Chromium.</summary>
public class UsersFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<(IPage Page, List<string> Problems)> SignedInPageAsync(StaffMember staff, string path)
    {
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync(path);
        await BrowserFixture.SignInAsync(page, staff, $"**{path}");
        return (page, problems);
    }

    [Fact]
    public async Task Archiving_a_staff_member_on_the_Users_page_turns_their_keys_Revoked_on_the_API_Keys_page()
    {
        var owner = await browser.Factory.StaffAsync(StaffRole.Owner, "Olive Owner");
        await browser.Factory.SetPasswordAsync(owner);
        var rita = await browser.Factory.StaffAsync(StaffRole.Admin, "Rita Roster");
        await browser.Factory.KeyAsync(rita, name: "Roster Sync API");
        await browser.Factory.KeyAsync(rita, name: "Leave export");
        await browser.Factory.StaffAsync(StaffRole.ReadOnly, "Reggie Reader");
        var (page, problems) = await SignedInPageAsync(owner, "/admin/users");
        await BrowserFixture.ScreenshotAsync(page, "users");

        var row = page.Locator("tr.user-row", new() { HasText = "Rita Roster" });
        await row.Locator("[data-testid=user-menu] button").ClickAsync();
        await BrowserFixture.MenuItem(page, "Archive…").ClickAsync();
        var dialog = page.Locator(".mud-dialog", new() { HasText = "Archive user" });
        await Assertions.Expect(dialog.Locator("[data-testid=archive-key-count]")).ToContainTextAsync("2 active API " +
            "keys will be revoked");
        await BrowserFixture.ScreenshotAsync(page, "archive-dialog");
        await dialog.Locator("[data-testid=confirm-user-action]").ClickAsync();

        await Assertions.Expect(page.Locator(".mud-snackbar"))
            .ToContainTextAsync("Archived Rita Roster and revoked 2 " +
            "active keys.");
        await Assertions.Expect(row.Locator("[data-testid=staff-status]")).ToHaveTextAsync("Archived");
        await page.GotoAsync($"/admin/api-keys?creator={rita.Id}");
        await BrowserFixture.InteractiveAsync(page);
        await Assertions.Expect(page.Locator("tr.key-row [data-testid=status-badge]")).ToHaveTextAsync(["Revoked",
            "Revoked"]);
        await BrowserFixture.ScreenshotAsync(page, "api-keys-after-archive");

        await page.GotoAsync($"/admin/audit?target={rita.Id}");
        await BrowserFixture.InteractiveAsync(page);
        await Assertions.Expect(page.Locator("tr.audit-row").First).ToContainTextAsync("staff.archived");
        await BrowserFixture.ScreenshotAsync(page, "audit-log");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task An_invited_person_chooses_a_password_with_the_link_shown_once_and_signs_in()
    {
        var owner = await browser.Factory.StaffAsync(StaffRole.Owner, "Owen Owner");
        await browser.Factory.SetPasswordAsync(owner);
        var (page, problems) = await SignedInPageAsync(owner, "/admin/users");

        await page.ClickAsync("[data-testid=open-invite]");
        var dialog = page.Locator(".mud-dialog", new() { HasText = "Invite user" });
        // Typed into a dialog the circuit is still setting up, text can be lost on a busy machine: type again until
        // the dialog has it (Create invite turns on once there is a name and an email).
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await dialog.Locator("[data-testid=invite-name]").FillAsync("Ivy Invited");
            await dialog.Locator("[data-testid=invite-email]").FillAsync("ivy.invited@example.com");
            try
            {
                await Assertions.Expect(dialog.Locator("[data-testid=send-invite]"))
                    .ToBeEnabledAsync(new() { Timeout = 3000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 2)
            {
            }
        }
        await dialog.GetByLabel("Read-only admin").CheckAsync();
        await BrowserFixture.ScreenshotAsync(page, "invite-dialog");
        await dialog.Locator("[data-testid=send-invite]").ClickAsync();
        var link = await page.Locator("[data-testid=one-time-link]").InputValueAsync();
        await BrowserFixture.ScreenshotAsync(page, "invite-link");
        await page.ClickAsync("[data-testid=link-done]");
        await Assertions.Expect(page.Locator("[data-testid=one-time-link]")).ToHaveCountAsync(0);
        (await page.ContentAsync()).Should().NotContain(new Uri(link).Query, "the link is shown once");

        var (invitee, _) = await browser.NewPageAsync();
        await invitee.GotoAsync(new Uri(link).PathAndQuery);
        await invitee.GetByLabel("Password", new() { Exact = true }).FillAsync("Ivy-Chooses-42x");
        await invitee.GetByLabel("Confirm password").FillAsync("Ivy-Chooses-42x");
        await invitee.ClickAsync("[data-testid=set-password]");
        await invitee.ClickAsync("[data-testid=password-sign-in]");
        await invitee.GetByLabel("Email").FillAsync("ivy.invited@example.com");
        await invitee.GetByLabel("Password").FillAsync("Ivy-Chooses-42x");
        await invitee.ClickAsync("[data-testid=sign-in]");
        await invitee.WaitForURLAsync("**/admin/api-keys");
        await BrowserFixture.InteractiveAsync(invitee);
        problems.Should().BeEmpty();
    }
}

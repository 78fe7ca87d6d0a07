using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>
/// Admin → Webhooks in Chromium: add an endpoint, send a test event, see it in the delivery log, reveal the shared
/// secret.
/// </summary>
public class WebhooksFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Add_an_endpoint_send_a_test_event_see_it_delivered_and_reveal_the_shared_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var owner = await browser.Factory.StaffAsync(StaffRole.Owner, "Wendy Webhooks");
        await browser.Factory.SetPasswordAsync(owner);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync("/admin/webhooks");
        await BrowserFixture.SignInAsync(page, owner, "**/admin/webhooks");

        await page.ClickAsync("[data-testid=add-endpoint]");
        await page.Locator("[data-testid=endpoint-url]").FillAsync(receiver.Url);
        await BrowserFixture.ScreenshotAsync(page, "webhook-endpoint-dialog");
        await page.ClickAsync("[data-testid=save-endpoint]");
        var row = page.Locator("tr.endpoint-row", new() { HasText = receiver.Url });
        await Assertions.Expect(row).ToContainTextAsync("api_key.revoked");

        await row.Locator("[data-testid=endpoint-menu] button").ClickAsync();
        await BrowserFixture.MenuItem(page, "Send test event").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "webhook.test" })).ToBeVisibleAsync();
        // the dispatcher runs every second
        for (var i = 0; i < 100 && receiver.Received.IsEmpty; i++) await Task.Delay(100);
        receiver.Received.Should().ContainSingle().Which.Body.Should().Contain("webhook.test");

        await row.Locator("a.key-link").ClickAsync();
        await BrowserFixture.InteractiveAsync(page);
        await Assertions.Expect(page.Locator("tr.delivery-row").First).ToContainTextAsync("webhook.test");
        await Assertions.Expect(page.Locator("[data-testid=delivery-status]").First).ToContainTextAsync("Delivered · " +
            "HTTP 200");
        await BrowserFixture.ScreenshotAsync(page, "webhook-deliveries");

        await page.GotoAsync("/admin/webhooks");
        await BrowserFixture.InteractiveAsync(page);
        await page.ClickAsync("[data-testid=reveal-secret]");
        var secret = page.Locator("[data-testid=shared-secret]");
        await Assertions.Expect(secret)
            .ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^whsec_[A-Za-z0-9+/]{43}=$"));
        await BrowserFixture.ScreenshotAsync(page, "webhook-shared-secret");
        (await browser.Factory.AuditAsync(DiversitySync.Portal.Data.AuditActions.WebhookSecretRevealed)).Should()
            .ContainSingle(e => e.ActorId == owner.Id);
        problems.Should().BeEmpty();
    }
}

using System.Net.WebSockets;
using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>
/// A circuit lives for hours: changes of standing reach open pages (P-12), idle and absolute limits hold for
/// circuits too (P-03), and the hub refuses other sites (P-11).
/// </summary>
public class CircuitSafetyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<(IPage Page, StaffMember Staff)> SignedInAsync(string role, string name)
    {
        var staff = await browser.Factory.StaffAsync(role, name);
        await browser.Factory.SetPasswordAsync(staff);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync("/admin/api-keys");
        await BrowserFixture.SignInAsync(page, staff);
        return (page, staff);
    }

    private Task<Outcome<StaffChange>> AsOwnerAsync(Func<IServiceProvider, Actor, Task<Outcome<StaffChange>>> change) =>
        browser.Factory.WithScopeAsync(async s =>
    {
        var owner = await browser.Factory.StaffAsync(StaffRole.Owner);
        return await change(s, Seed.ActorOf(owner));
    });

    /// <summary>
    /// The 2 s are the portal's: the tab has left for the sign-in page once the browser has its answer (the
    /// navigation commits). Drawing that page is the browser's time, which a busy machine may stretch.
    /// </summary>
    private static async Task OnSignInPageWithinTwoSecondsAsync(IPage page)
    {
        await page.WaitForURLAsync("**/login?ReturnUrl=*", new() { Timeout = 2000, WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task P12_a_person_blocked_elsewhere_is_on_the_sign_in_page_within_two_seconds()
    {
        var (page, bea) = await SignedInAsync(StaffRole.Admin, "Bea Blocked");

        (await AsOwnerAsync((s, owner) => s.GetRequiredService<StaffStanding>().BlockAsync(bea.Id,
            owner))).Succeeded.Should().BeTrue();

        await OnSignInPageWithinTwoSecondsAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "blocked-circuit");
    }

    [Fact]
    public async Task P12_a_lost_permission_vanishes_from_the_open_page_and_the_service_refuses_it()
    {
        var (page, ada) = await SignedInAsync(StaffRole.Admin, "Ada Demoted");
        await Assertions.Expect(page.Locator("[data-testid=open-create]")).ToBeVisibleAsync();

        (await AsOwnerAsync((s, owner) => s.GetRequiredService<StaffRoles>().SetRolesAsync(ada.Id, [StaffRole.ReadOnly],
            owner))).Succeeded.Should().BeTrue();

        await Assertions.Expect(page.Locator("[data-testid=open-create]")).ToHaveCountAsync(0,
            new() { Timeout = 2000 });
        await Assertions.Expect(page.Locator("tr.key-row, [data-testid=empty-state]").First).ToBeVisibleAsync();
        var refused = await browser.Factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>()
            .CreateAsync(new NewApiKeyRequest("Late", null, "test", ["read:api_keys"], null), Seed.ActorOf(ada)));
        refused.Refusal!.Kind.Should().Be(RefusalKind.Forbidden);
    }

    [Fact]
    public async Task P12_setting_up_an_authenticator_on_one_device_ends_the_open_pages_on_another()
    {
        var (page, mia) = await SignedInAsync(StaffRole.ReadOnly, "Mia Multi-device");

        var enrolment = await browser.Factory.WithScopeAsync(s =>
            s.GetRequiredService<StaffMfa>().EnrolmentAsync(Seed.ActorOf(mia)));

        enrolment.Value!.NewKey.Should().BeTrue();
        await OnSignInPageWithinTwoSecondsAsync(page);
    }

    [Fact]
    public async Task P03_an_idle_circuit_ends_with_the_session()
    {
        var (page, _) = await SignedInAsync(StaffRole.ReadOnly, "Ida Idle");

        // MudBlazor's own start-up calls from the page count as activity; one can land just after the test's clock
        // moved (on a real clock, seconds after loading), so the clock moves again while the page is still there.
        for (var attempt = 0; attempt < 3 && !page.Url.Contains("/login"); attempt++)
        {
            browser.Factory.Time.Advance(TimeSpan.FromMinutes(31));
            try
            {
                await page.WaitForURLAsync("**/login?ReturnUrl=*", new() { Timeout = 4000 });
            }
            catch (TimeoutException)
            {
            }
        }

        page.Url.Should().Contain("/login?ReturnUrl=");
    }

    [Fact]
    public async Task P11_the_hub_refuses_a_websocket_or_negotiation_from_another_site()
    {
        var (page, _) = await SignedInAsync(StaffRole.ReadOnly, "Hugo Hub");
        var cookies = string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        var hub = new Uri(new Uri(browser.BaseUrl), "/_blazor");

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Cookie", cookies);
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        var connect = () => socket.ConnectAsync(new UriBuilder(hub) { Scheme = "ws" }.Uri, CancellationToken.None);
        await connect.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var http = new HttpClient();
        HttpRequestMessage Negotiate(string origin) => new(HttpMethod.Post, $"{hub}/negotiate?negotiateVersion=1")
        {
            Headers = { { "Cookie", cookies }, { "Origin", origin } },
        };
        (await http.SendAsync(Negotiate("https://evil.example"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await http.SendAsync(Negotiate(browser.BaseUrl.TrimEnd('/')))).StatusCode.Should().Be(HttpStatusCode.OK,
            "the portal's own pages still connect");
    }
}

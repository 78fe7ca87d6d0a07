using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>
/// What a signed-in person sees when the instance holding their page goes away: two processes of the real
/// executable on one PostgreSQL database behind a balancer, and the first killed with SIGKILL under an open page.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    // Owns the database and makes the staff member in it; the browser never reaches this in-process app.
    private readonly PostgresPortalFactory seed = PostgresPortalFactory.With([]);
    private readonly AppInstances instances;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public FailoverTests() => instances = new AppInstances(("Database__Provider", "PostgreSQL"),
        ("ConnectionStrings__Portal", seed.ConnectionString));

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await BrowserFixture.LaunchAsync(playwright);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        await instances.DisposeAsync();
        await seed.DisposeAsync();
    }

    [Fact]
    public async Task A_page_whose_instance_dies_comes_back_by_itself_on_the_other_still_signed_in()
    {
        var staff = await seed.StaffAsync(StaffRole.Admin, "Flo Failover");
        await seed.SetPasswordAsync(staff);
        var (a, aProcess) = await instances.StartAsync();
        var (b, _) = await instances.StartAsync();
        await using var balancer = new TcpFailover(a.BaseAddress!.Port, b.BaseAddress!.Port);
        var page = await browser!.NewPageAsync(new()
        {
            BaseURL = balancer.Url,
            ViewportSize = new() { Width = 1280, Height = 900 }
        });
        await page.GotoAsync("/admin/api-keys");
        await BrowserFixture.SignInAsync(page, staff);
        // Marks this page (gone once it reloads), and notes in the tab's session storage (kept across a reload) when
        // Blazor's reconnect dialog appears.
        await page.EvaluateAsync("""
            () => {
                window.loadedBeforeTheFailure = true;
                new MutationObserver(() => {
                    if (document.getElementById('components-reconnect-modal'))
                    {
                        sessionStorage.setItem('reconnectDialogShown', 'yes');
                    }
                }).observe(document.body, { childList: true, subtree: true });
            }
            """);

        aProcess.Kill(); // SIGKILL: no graceful end for its circuits

        // Blazor reconnects through the balancer to B, which has never heard of the circuit and refuses it, so the
        // page reloads itself from B.
        await page.WaitForFunctionAsync("() => window.loadedBeforeTheFailure === undefined", null,
            new() { Timeout = 30_000 });
        await BrowserFixture.InteractiveAsync(page);
        (await page.EvaluateAsync<string?>("() => sessionStorage.getItem('reconnectDialogShown')")).Should().Be("yes",
            "the page showed the reconnect dialog first");
        page.Url.Should().EndWith("/admin/api-keys",
            "the cookie signed on A is read on B through the key ring they share");
        await Assertions.Expect(page.GetByText("Flo Failover")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "failover-on-the-other-instance");
        await page.ClickAsync("[data-testid=open-create]");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
    }
}

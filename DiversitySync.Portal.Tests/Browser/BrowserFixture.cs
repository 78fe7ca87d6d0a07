using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Playwright;

namespace DiversitySync.Portal.Tests.Browser;

/// <summary>
/// The app on real Kestrel and Debian's Chromium driven by Playwright. Screenshots go under the test output.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    // The default flush interval, so that the screenshots say what a real portal says.
    public PortalFactory Factory { get; } = PortalFactory.Create(settings: new()
    {
        ["Keys:UsageFlushSeconds"] = "60",
        ["Webhooks:AllowPrivateNetworks"] = "true"
    });
    public string BaseUrl { get; private set; } = "";
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        Factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        playwright = await Playwright.CreateAsync();
        browser = await LaunchAsync(playwright);
    }

    /// <summary>Debian's Chromium, headless, quiet on the network; the screenshot folder made ready.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run the README's test command " +
                $"(scripts/test.sh), which installs it, or apt-get install chromium fonts-liberation.");
        }
        Directory.CreateDirectory(ScreenshotDirectory);
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Without the background-networking flags Chromium keeps dialling out of this closed network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page that records console errors and failed requests, at the given width.</summary>
    public async Task<(IPage Page, List<string> Problems)> NewPageAsync(int width = 1280, int height = 900,
        bool javaScript = true)
    {
        var context = await browser!.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            ReducedMotion = ReducedMotion.Reduce,
            JavaScriptEnabled = javaScript,
            // Lets a test read what a Copy button put on the clipboard.
            Permissions = ["clipboard-read", "clipboard-write"],
            BaseURL = BaseUrl,
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add($"console: {message.Text}"); };
        // An aborted request is not a failure: a navigation cancels what the page was still loading.
        page.RequestFailed += (_,
            request) =>
        {
            if (request.Failure != "net::ERR_ABORTED")
            {
                problems.Add($"request failed: {request.Url} " +
            $"{request.Failure}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                problems.Add($"{response.Status}: " +
            $"{response.Url}");
            }
        };
        return (page, problems);
    }

    /// <summary>
    /// Signs in on the static sign-in page, then waits for the interactive page it leads to to have its circuit up
    /// (the layout marks &lt;html data-interactive&gt;): a prerendered page looks ready before it is.
    /// </summary>
    public static async Task SignInAsync(IPage page, StaffMember staff, string landing = "**/admin/api-keys")
    {
        await page.GetByLabel("Email").FillAsync(staff.Email!);
        await page.GetByLabel("Password").FillAsync(PortalSignIn.Password);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync(landing);
        await InteractiveAsync(page);
    }

    /// <summary>After every full page load of an interactive screen: never sleep, wait for the circuit.</summary>
    public static Task InteractiveAsync(IPage page) => page.WaitForSelectorAsync("html[data-interactive=true]",
        new() { State = WaitForSelectorState.Attached });

    /// <summary>An item of an open MudBlazor menu or select: they render in a popover at the end of the page.</summary>
    public static ILocator MenuItem(IPage page, string name) => page.Locator(".mud-popover-open").GetByText(name,
        new() { Exact = true });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}

using DiversitySync.Portal.Components.Account;

namespace DiversitySync.Portal.Tests.Staff;

/// <summary>Portal sign-in and sessions: P-03 (cookie), P-04 (standing re-checked), P-08 (throttling).</summary>
public class SignInTests : IAsyncLifetime
{
    private readonly PortalFactory factory;

    public SignInTests() : this(new PortalFactory())
    {
    }

    /// <summary>For the same tests on another provider.</summary>
    protected SignInTests(PortalFactory factory) => this.factory = factory;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<HttpStatusCode> ApiKeysPageStatusAsync(HttpClient client) =>
        (await client.GetAsync("/admin/api-keys")).StatusCode;

    [Fact]
    public async Task P03_the_session_cookie_is_host_prefixed_secure_httponly_samesite_and_ends_with_the_browser()
    {
        var staff = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.SetPasswordAsync(staff);

        var response = await factory.CreatePortalClient().SignInAsync(staff.Email!, PortalSignIn.Password);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectTarget().Should().Be("/admin");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-"));
        var attributes = cookie.Split(';').Select(a => a.Trim().ToLowerInvariant()).ToList();
        attributes.Should().Contain(["secure", "httponly", "samesite=lax", "path=/"]);
        attributes.Should().NotContain(a => a.StartsWith("domain=") || a.StartsWith("expires=")
            || a.StartsWith("max-age="));
    }

    [Fact]
    public async Task Static_assets_health_checks_and_tokens_do_not_re_read_the_session_but_pages_do()
    {
        var (client, _) = await factory.SignedInAsync();
        var before = factory.Commands.Count("AspNetUsers");

        foreach (var path in new[] { "/app.css", "/favicon.svg", "/healthz/live", "/healthz",
            "/.well-known/jwks.json" })
        {
            (await client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK, path);
        }
        factory.Commands.Count("AspNetUsers").Should().Be(before,
            "the session cookie is sent with every one of them, and read by none");

        (await ApiKeysPageStatusAsync(client)).Should().Be(HttpStatusCode.OK);
        factory.Commands.Count("AspNetUsers").Should().BeGreaterThan(before, "a page re-checks the session (P-04)");
    }

    [Fact]
    public async Task Signing_in_goes_back_to_the_page_asked_for_but_never_to_another_site()
    {
        var staff = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.SetPasswordAsync(staff);
        var client = factory.CreatePortalClient();

        var challenge = await client.GetAsync("/admin/api-keys?status=revoked");
        challenge.Headers.Location!.PathAndQuery.Should().Be("/login?ReturnUrl=%2Fadmin%2Fapi-keys%3Fstatus%3Drevoked");

        var fields = new Dictionary<string, string>
        {
            ["Input.Email"] = staff.Email!,
            ["Input.Password"] = PortalSignIn.Password,
            ["_handler"] = "login"
        };
        (await client.PostFormAsync("/login?ReturnUrl=%2Fadmin%2Fapi-keys%3Fstatus%3Drevoked", fields, "/login"))
            .RedirectTarget().Should().Be("/admin/api-keys?status=revoked");
        foreach (var hostile in new[] { "https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2F%5Cevil.example" })
        {
            (await factory.CreatePortalClient().PostFormAsync($"/login?ReturnUrl={hostile}", fields,
                "/login")).RedirectTarget().Should().Be("/admin");
        }
    }

    [Theory]
    [InlineData("wrong password")]
    [InlineData("unknown email")]
    public async Task A_failed_sign_in_says_only_incorrect_email_or_password_and_is_audited_with_the_reason(string reason)
    {
        var staff = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.SetPasswordAsync(staff);
        var client = factory.CreatePortalClient();

        var response = reason == "unknown email"
            ? await client.SignInAsync("nobody@example.com", PortalSignIn.Password)
            : await client.SignInAsync(staff.Email!, "Wrong-Horse-99");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Should().Contain("Incorrect email or " +
            "password.");
        (response.Headers.TryGetValues("Set-Cookie",
            out var cookies) ? cookies : []).Should().NotContain(c => c.StartsWith(StaffSessions.CookieName));
        (await factory.AuditAsync("sign_in.failed")).Should().ContainSingle(e => e.Detail == reason);
    }

    [Fact]
    public async Task P08_after_ten_failures_a_stranger_is_locked_out_and_told_nothing_an_unknown_email_is_not_told()
    {
        var staff = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.SetPasswordAsync(staff);
        var client = factory.CreatePortalClient();
        for (var i = 0; i < 10; i++) await client.SignInAsync(staff.Email!, $"Wrong-Horse-{i}0");

        var eleventh = await client.SignInAsync(staff.Email!, PortalSignIn.Password);
        var unknown = await factory.CreatePortalClient().SignInAsync("nobody@example.com", "Wrong-Horse-00");

        ErrorOf(await eleventh.Content.ReadAsStringAsync()).Should()
            .Be(ErrorOf(await unknown.Content.ReadAsStringAsync()))
            .And.Be("Incorrect email or password.", "a locked account and an unknown email read alike");
        (await ApiKeysPageStatusAsync(client)).Should().Be(HttpStatusCode.Redirect);
        (await factory.AuditAsync("sign_in.failed")).Should().Contain(e => e.Detail == "locked out");
        factory.Logs.AllText.Should().Contain($"staff member {staff.Id} is locked out");
    }

    [Fact]
    public async Task P08_a_stranger_cannot_lock_the_owner_out_from_where_they_signed_in_before()
    {
        await using var proxied = PortalFactory.Create(settings: new() { ["RateLimits:KnownProxies:0"] = "127.0.0.1" });
        var owner = await proxied.StaffAsync(StaffRoleNames.Owner);
        await proxied.SetPasswordAsync(owner);
        var home = From(proxied, "198.51.100.7");
        (await home.SignInAsync(owner.Email!, PortalSignIn.Password)).RedirectTarget().Should().Be("/admin");

        var stranger = From(proxied, "203.0.113.9");
        for (var i = 0; i < 12; i++) await stranger.SignInAsync(owner.Email!, $"Wrong-Horse-{i}0");
        (await stranger.SignInAsync(owner.Email!, PortalSignIn.Password)).StatusCode.Should().Be(HttpStatusCode.OK,
            "the stranger is locked out, even with the password");

        var again = From(proxied, "198.51.100.7");
        (await again.SignInAsync(owner.Email!, PortalSignIn.Password)).RedirectTarget().Should().Be("/admin",
            "the owner's own address is not");
    }

    private static HttpClient From(PortalFactory factory, string ip)
    {
        var client = factory.CreatePortalClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", ip);
        return client;
    }

    private static string? ErrorOf(string html) => Html.Parse(html).Text("[data-testid=login-error]");

    [Fact]
    public async Task P08_one_client_ip_gets_429_after_its_failed_sign_ins_across_accounts_are_used_up()
    {
        await using var limited = PortalFactory.Create(settings: new()
        {
            ["RateLimits:Enabled"] = "true",
            ["RateLimits:FailedSignInPerIp:PermitLimit"] = "3",
            ["RateLimits:FailedSignInPerIp:WindowSeconds"] = "900",
        });
        var staff = await limited.StaffAsync(StaffRoleNames.Owner);
        await limited.SetPasswordAsync(staff);
        var client = limited.CreatePortalClient();
        for (var i = 0; i < 3; i++) await client.SignInAsync($"guess{i}@example.com", "Wrong-Horse-99");

        var refused = await client.SignInAsync(staff.Email!, PortalSignIn.Password);

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.Should().NotBeNull();
        WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()).Should().Contain("Too many failed sign-ins");
        (await limited.AuditAsync("rate.limited")).Should().ContainSingle();
    }

    [Theory]
    [InlineData(StaffStatus.Blocked)]
    [InlineData(StaffStatus.Archived)]
    public async Task P04_blocked_or_archived_staff_cannot_sign_in_and_lose_their_session_on_the_next_request(StaffStatus status)
    {
        var (client, staff) = await factory.SignedInAsync();
        (await ApiKeysPageStatusAsync(client)).Should().Be(HttpStatusCode.OK);

        await factory.ChangeStaffAsync(staff, status);

        var next = await client.GetAsync("/admin/api-keys");
        next.StatusCode.Should().Be(HttpStatusCode.Redirect);
        next.RedirectTarget().Should().StartWith("/login?ReturnUrl=");
        var again = await factory.CreatePortalClient().SignInAsync(staff.Email!, PortalSignIn.Password);
        WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()).Should().Contain("Incorrect email or password.");
        (await factory.AuditAsync("sign_in.failed")).Should().Contain(e => e.Detail == $"account " +
            $"{status.ToString().ToLowerInvariant()}");
    }

    [Fact]
    public async Task P03_a_session_ends_after_30_idle_minutes()
    {
        var (client, _) = await factory.SignedInAsync();

        factory.Time.Advance(TimeSpan.FromMinutes(31));

        (await ApiKeysPageStatusAsync(client)).Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task P03_activity_keeps_a_session_alive_but_never_beyond_12_hours()
    {
        var (client, _) = await factory.SignedInAsync();
        var elapsed = TimeSpan.Zero;
        while (elapsed < TimeSpan.FromHours(11.5))
        {
            factory.Time.Advance(TimeSpan.FromMinutes(20));
            elapsed += TimeSpan.FromMinutes(20);
            (await ApiKeysPageStatusAsync(client)).Should().Be(HttpStatusCode.OK, $"still active after {elapsed}");
        }

        factory.Time.Advance(TimeSpan.FromMinutes(40));

        (await ApiKeysPageStatusAsync(client)).Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_a_copied_cookie_stops_working_too()
    {
        var staff = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.SetPasswordAsync(staff);
        var client = factory.CreatePortalClient();
        var signedIn = await client.SignInAsync(staff.Email!, PortalSignIn.Password);
        var stolen = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(StaffSessions.CookieName))
            .Split(';')[0];
        var thief = factory.CreateClient(new()
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = false
        });
        thief.DefaultRequestHeaders.Add("Cookie", stolen);
        (await ApiKeysPageStatusAsync(thief)).Should().Be(HttpStatusCode.OK);

        var signedOut = await client.PostFormAsync("/logout", [], "/account/profile");

        signedOut.RedirectTarget().Should().Be("/login");
        (await ApiKeysPageStatusAsync(client)).Should().Be(HttpStatusCode.Redirect);
        (await ApiKeysPageStatusAsync(thief)).Should().Be(HttpStatusCode.Redirect);
        (await factory.AuditAsync("sign_in.signed_out")).Should().ContainSingle(e => e.ActorId == staff.Id);
    }

    [Fact]
    public async Task P01_signing_out_needs_the_antiforgery_field()
    {
        var (client, _) = await factory.SignedInAsync();

        var forged = await client.PostFormAsync("/logout", [], formPage: null);

        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ApiKeysPageStatusAsync(client)).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_sign_in_page_warns_when_it_is_served_over_plain_http_to_another_host()
    {
        var plain = factory.CreateClient(new() { BaseAddress = new Uri("http://portal.example") });
        var secure = factory.CreateClient(new() { BaseAddress = new Uri("https://portal.example") });

        (await plain.GetDocumentAsync("/login")).Text("[data-testid=needs-https]").Should().Contain("only over HTTPS");
        (await secure.GetDocumentAsync("/login")).QuerySelector("[data-testid=needs-https]").Should().BeNull();
    }

    [Fact]
    public async Task Staff_without_read_api_keys_are_told_they_lack_access()
    {
        await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<DiversitySync.Portal.Data.PortalDbContext>();
            db.Roles.Add(new StaffRole
            {
                Id = "auditor",
                Name = "Auditor",
                NormalizedName = "AUDITOR",
                Permissions = "read:audit"
            });
            await db.SaveChangesAsync();
        });
        var (client, _) = await factory.SignedInAsync("Auditor");

        var response = await client.GetAsync("/admin/api-keys");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectTarget().Should().StartWith("/access-denied");
        (await client.GetDocumentAsync("/access-denied")).Text("h1").Should().Be("You do not have access to that page");
    }
}

namespace DiversitySync.Portal.Tests.Staff;

/// <summary>TOTP enrolment from the profile page, the code step at sign-in, and an admin's MFA reset (P-08).</summary>
public class MfaTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    /// <summary>
    /// Enrols the signed-in client's authenticator the way a person would: read the key, type the app's code.
    /// </summary>
    private async Task<string> EnrolAsync(HttpClient client)
    {
        var key = (await client.GetDocumentAsync("/account/profile"))
            .QuerySelector("[data-testid=mfa-key]")!.GetAttribute("value")!;
        var response = await client.PostFormAsync("/account/profile",
            [new("_handler", "enable-mfa"), new("code", Totp.Code(key, factory.Time.GetUtcNow()))], "/account/profile");
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, "the code from the key on the page turns MFA on");
        // The code that turned MFA on is used up: the next one comes 30 seconds later.
        await factory.AdvanceAsync(TimeSpan.FromSeconds(30));
        return key;
    }

    /// <summary>Password, then the code, on a new browser; where that ends.</summary>
    private async Task<HttpResponseMessage> SignInWithCodeAsync(StaffMember staff, string code)
    {
        var browser = factory.CreatePortalClient();
        var password = await browser.SignInAsync(staff.Email!, PortalSignIn.Password);
        return await browser.PostFormAsync(password.RedirectTarget(),
            [new("Input.Code", code), new("_handler", "login-code")], password.RedirectTarget());
    }

    [Fact]
    public async Task P08_an_authenticator_code_signs_in_once_and_an_earlier_one_never_again()
    {
        var (client, staff) = await factory.SignedInAsync(StaffRole.Admin);
        var key = await EnrolAsync(client);
        var earlier = Totp.Code(key, factory.Time.GetUtcNow().AddSeconds(-30));
        var code = Totp.Code(key, factory.Time.GetUtcNow());

        (await SignInWithCodeAsync(staff, code)).RedirectTarget().Should().Be("/admin");
        (await SignInWithCodeAsync(staff, code)).StatusCode.Should().Be(HttpStatusCode.OK,
            "the same code a second time is refused");
        (await SignInWithCodeAsync(staff, earlier)).StatusCode.Should().Be(HttpStatusCode.OK,
            "an earlier code is refused too");
        await factory.AdvanceAsync(TimeSpan.FromSeconds(30));
        (await SignInWithCodeAsync(staff,
            Totp.Code(key, factory.Time.GetUtcNow()))).RedirectTarget().Should().Be("/admin", "the next code works");
    }

    [Fact]
    public async Task After_enrolling_an_authenticator_sign_in_asks_for_its_code()
    {
        var (client, staff) = await factory.SignedInAsync(StaffRole.Admin);
        var key = await EnrolAsync(client);
        (await client.GetDocumentAsync("/account/profile")).QuerySelector("[data-testid=mfa-on]").Should()
            .NotBeNull("the session carries on after enrolling");

        var browser = factory.CreatePortalClient();
        var password = await browser.SignInAsync(staff.Email!, PortalSignIn.Password);
        password.RedirectTarget().Should().StartWith("/login/code");
        (await browser.GetAsync("/admin/api-keys")).RedirectTarget().Should().StartWith("/login",
            "a password alone is not a session");
        var (wrong, html) = await browser.PostAsync(password.RedirectTarget(), "login-code",
            [new("Input.Code", "000000")]);
        html.Should().Contain("That code is not right");
        var right = await browser.PostFormAsync(password.RedirectTarget(),
            [new("Input.Code", Totp.Code(key, factory.Time.GetUtcNow())),
            new("_handler", "login-code")], password.RedirectTarget());

        wrong.Should().Be(HttpStatusCode.OK);
        right.RedirectTarget().Should().Be("/admin");
        (await browser.GetAsync("/admin/api-keys")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.AuditAsync(AuditActions.SignInFailed)).Should().Contain(e => e.TargetId == staff.Id
            && e.Detail == "wrong authenticator code");
    }

    [Fact]
    public async Task A_wrong_code_does_not_turn_MFA_on()
    {
        var (client, _) = await factory.SignedInAsync(StaffRole.ReadOnly);
        await client.GetAsync("/account/profile");

        var (status, html) = await client.PostAsync("/account/profile", "enable-mfa", [new("code", "12345x")]);

        status.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("That code did not match");
        (await client.GetDocumentAsync("/account/profile")).QuerySelector("[data-testid=mfa-on]").Should().BeNull();
    }

    [Fact]
    public async Task An_admin_reset_clears_the_authenticator_so_the_password_alone_signs_in_again()
    {
        var (client, staff) = await factory.SignedInAsync(StaffRole.ReadOnly);
        await EnrolAsync(client);
        var owner = await factory.StaffAsync(StaffRole.Owner);

        var reset = await factory.WithScopeAsync(s => s.GetRequiredService<StaffStanding>().ResetMfaAsync(staff.Id,
            Seed.ActorOf(owner)));

        reset.Succeeded.Should().BeTrue();
        (await client.GetAsync("/account/profile")).RedirectTarget().Should().StartWith("/login",
            "a reset signs the person out");
        (await factory.CreatePortalClient().SignInAsync(staff.Email!,
            PortalSignIn.Password)).RedirectTarget().Should().Be("/admin");
    }
}

namespace DiversitySync.Portal.Tests.Components;

public class SecurityHeaderTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task P07_pages_carry_a_strict_csp_no_framing_nosniff_and_a_referrer_policy()
    {
        var response = await factory.CreateClient().GetAsync("/");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("frame-ancestors 'none'").And.Contain("object-src 'none'").And.Contain("base-uri " +
            "'self'").And.Contain("script-src 'self'");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("same-origin");
    }

    [Fact]
    public async Task P07_https_pages_carry_hsts_for_a_year_and_are_never_cached()
    {
        var client = factory.CreateClient(new() { BaseAddress = new Uri("https://portal.example") });

        var response = await client.GetAsync("/login");

        response.Headers.GetValues("Strict-Transport-Security").Single().Should().Be("max-age=31536000");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    [Theory]
    [InlineData("/v1/me")]
    [InlineData("/oauth/token")]
    public async Task P07_no_cors_is_offered_to_another_origin(string path)
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, path);
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");

        var response = await factory.CreateClient().SendAsync(preflight);

        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        ((int)response.StatusCode).Should().BeLessThan(500);
    }
}

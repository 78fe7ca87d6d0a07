namespace DiversitySync.Portal.Tests.Api;

/// <summary>Validated tokens are remembered by their exact text; that must never stretch a token's life.</summary>
public class AccessTokenCacheTests
{
    [Fact]
    public async Task J06_a_token_that_was_used_before_still_expires_at_exp_plus_the_skew()
    {
        await using var factory = new PortalFactory();
        var client = factory.CreateClient();
        var token = await client.AccessTokenAsync((await factory.KeyAsync(await factory.StaffAsync())).Plaintext);
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK); // now cached

        await factory.AdvanceAsync(TimeSpan.FromSeconds(900 + 29)); // iat is whole seconds; the clock is not
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK, "within the 30 s skew");
        await factory.AdvanceAsync(TimeSpan.FromSeconds(2));

        var expired = await client.GetAsync("/v1/me", token);
        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        expired.Headers.WwwAuthenticate.ToString().Should().Contain("The access token has expired.");
    }
}

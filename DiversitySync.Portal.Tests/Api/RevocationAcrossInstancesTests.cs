namespace DiversitySync.Portal.Tests.Api;

/// <summary>J-08 across processes: two app instances on one database, as with the CLI or a second server.</summary>
public class RevocationAcrossInstancesTests
{
    [Fact]
    public async Task A_revoke_made_by_another_instance_fails_tokens_here_at_the_next_poll()
    {
        await using var first = new PortalFactory();
        await using var second = PortalFactory.Create(first.DataDirectory);
        var client = first.CreateClient();
        var key = await first.KeyAsync(await first.StaffAsync());
        var token = await client.AccessTokenAsync(key.Plaintext);
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);

        await second.RevokeAsync(key.Key.KeyId);
        // what the 1 s poll does
        await first.Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);

        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_made_by_another_instance_works_here_at_once()
    {
        await using var first = new PortalFactory();
        await using var second = PortalFactory.Create(first.DataDirectory);
        var client = first.CreateClient();
        second.CreateClient();

        var key = await second.KeyAsync(await second.StaffAsync());
        var token = await second.CreateClient().AccessTokenAsync(key.Plaintext);

        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK,
            "the token endpoint looks again for a key it has not seen");
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK,
            "so does /v1 for a token from another instance");
    }

    [Fact]
    public async Task The_change_feed_polls_by_itself()
    {
        await using var first = new PortalFactory();
        await using var second = PortalFactory.Create(first.DataDirectory);
        var client = first.CreateClient();
        var key = await first.KeyAsync(await first.StaffAsync());
        var token = await client.AccessTokenAsync(key.Plaintext);
        second.CreateClient();

        await second.RevokeAsync(key.Key.KeyId);

        // Not a timing assertion: a generous deadline so a stalled poller fails the test instead of hanging it.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            status = (await client.GetAsync("/v1/me", token)).StatusCode;
        }
        status.Should().Be(HttpStatusCode.Unauthorized);
    }
}

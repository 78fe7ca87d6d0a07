namespace DiversitySync.Portal.Tests.Webhooks;

/// <summary>
/// The background dispatcher as it runs in production: one endpoint that never answers holds up no other.
/// </summary>
public sealed class WebhookIsolationTests : IAsyncLifetime
{
    // Receivers' answers are held far longer than the test waits, so only the dispatcher's own scheduling can let
    // the healthy endpoint's event through.
    private readonly PortalFactory factory = PortalFactory.Create(settings: new()
    {
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:TimeoutSeconds"] = "60",
    });
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebhookReceiver slow = null!;
    private WebhookReceiver healthy = null!;

    public async Task InitializeAsync()
    {
        slow = await WebhookReceiver.StartAsync();
        healthy = await WebhookReceiver.StartAsync();
        slow.Answer = _ => release.Task;
    }

    public async Task DisposeAsync()
    {
        release.TrySetResult();
        await factory.DisposeAsync();
        await slow.DisposeAsync();
        await healthy.DisposeAsync();
    }

    [Fact]
    public async Task A_receiver_that_never_answers_holds_three_attempts_at_most_and_delays_no_other_endpoint()
    {
        var client = factory.CreateClient();
        var token = await client.AccessTokenAsync((await factory.KeyAsync(await factory.StaffAsync(StaffRole.Owner),
            "read:webhooks write:webhooks")).Plaintext);
        async Task<string> EndpointAsync(string url) =>
            (await (await client.PostJsonAsync("/v1/webhooks", token,
                JsonSerializer.Serialize(new { url, events = new[] { "webhook.test" } }))).JsonAsync())
            .GetProperty("id").GetString()!;
        var stuck = await EndpointAsync(slow.Url);
        for (var i = 0; i < 12; i++)
        {
            (await client.PostJsonAsync($"/v1/webhooks/{stuck}/test", token, "{}")).StatusCode.Should()
                .Be(HttpStatusCode.Accepted);
        }
        await WaitForAsync(() => slow.Received.Count >= 3);

        var fine = await EndpointAsync(healthy.Url);
        (await client.PostJsonAsync($"/v1/webhooks/{fine}/test", token,
            "{}")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await WaitForAsync(() => !healthy.Received.IsEmpty);

        slow.Received.Should().HaveCount(3,
            "at most 3 attempts at once per endpoint, and all three are still unanswered");
        healthy.Received.Should().ContainSingle();
    }

    /// <summary>
    /// Not a timing assertion: a deadline far inside the slow receiver's 60 s, so a dispatcher that waits on it fails.
    /// </summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(50);
        condition().Should().BeTrue("the dispatcher got there while the slow receiver still held its requests");
    }
}

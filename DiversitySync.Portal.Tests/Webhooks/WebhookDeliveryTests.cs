using Bunit;
using Microsoft.AspNetCore.Http;

namespace DiversitySync.Portal.Tests.Webhooks;

/// <summary>Deliveries to a real receiver, checked by the reference Standard Webhooks library (W-01).</summary>
public class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Scopes = "read:webhooks write:webhooks read:api_keys write:api_keys";
    // The tests run the delivery passes themselves (DeliveredAsync), each recorded before it returns; a background
    // dispatcher racing them would deliver and record on its own schedule.
    protected static readonly Dictionary<string, string?> Settings = new()
    {
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:TimeoutSeconds"] = "2",
        ["Webhooks:Dispatch"] = "false",
    };
    private readonly PortalFactory factory;

    public WebhookDeliveryTests() : this(PortalFactory.Create(settings: Settings))
    {
    }

    /// <summary>For the same tests on another provider.</summary>
    protected WebhookDeliveryTests(PortalFactory factory) => this.factory = factory;
    private WebhookReceiver receiver = null!;
    private HttpClient client = null!;
    private string token = "";
    private StaffMember owner = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        client = factory.CreateClient();
        owner = await factory.StaffAsync(StaffRole.Owner);
        token = await client.AccessTokenAsync((await factory.KeyAsync(owner, Scopes)).Plaintext);
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await factory.DisposeAsync();
    }

    private async Task<string> EndpointAsync(string url, params string[] events)
    {
        var response = await client.PostJsonAsync("/v1/webhooks", token,
            JsonSerializer.Serialize(new { url, events, description = "Test receiver" }));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    private async Task<string> SecretAsync() => (await (await client.GetAsync("/v1/webhooks/secret",
        token)).JsonAsync()).GetProperty("secret").GetString()!;

    /// <summary>
    /// Runs delivery passes (as the background dispatcher does every second) until the receiver has <paramref
    /// name="count"/>.
    /// </summary>
    private async Task<List<ReceivedWebhook>> DeliveredAsync(int count)
    {
        var dispatcher = factory.Services.GetRequiredService<WebhookDispatcher>();
        for (var i = 0; i < 100 && receiver.Received.Count < count; i++)
        {
            await dispatcher.DispatchDueAsync(CancellationToken.None);
            if (receiver.Received.Count < count) await Task.Delay(50);
        }
        receiver.Received.Should().HaveCount(count);
        return [.. receiver.Received];
    }

    private Task<List<WebhookMessage>> MessagesAsync() =>
        factory.WithScopeAsync(s =>
            s.GetRequiredService<PortalDbContext>().WebhookMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    [Fact]
    public async Task W01_the_reference_library_verifies_a_delivery_and_refuses_a_tampered_body_or_an_old_timestamp()
    {
        await EndpointAsync(receiver.Url, WebhookEvents.ApiKeyCreated);
        var secret = await SecretAsync();
        var key = await factory.KeyAsync(owner, "read:api_keys", name: "Webhook subject");

        var delivery = (await DeliveredAsync(1)).Single();

        (await StandardWebhooksVerifier.VerifyAsync(secret, delivery)).Should().Be("verified");
        (await StandardWebhooksVerifier.VerifyAsync(secret,
            delivery with { Body = delivery.Body.Replace("Webhook subject", "Webhook subjecT") }))
            .Should().StartWith("refused");
        var old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds().ToString();
        (await StandardWebhooksVerifier.VerifyAsync(secret,
            delivery with
            {
                Timestamp = old,
                Signature = WebhookSigning.Sign(delivery.Id, long.Parse(old), delivery.Body, [secret])
            }))
            .Should().StartWith("refused");
        using var body = JsonDocument.Parse(delivery.Body);
        body.RootElement.GetProperty("type").GetString().Should().Be("api_key.created");
        body.RootElement.GetProperty("data").GetProperty("key_id").GetString().Should().Be(key.Key.KeyId);
        delivery.Body.Should().NotContain(key.Plaintext).And.NotContain(secret, "an event never carries a secret");
    }

    [Fact]
    public async Task W02_a_receiver_answering_500_then_200_sees_the_same_webhook_id_twice()
    {
        await EndpointAsync(receiver.Url, WebhookEvents.ApiKeyCreated);
        receiver.Answer = WebhookReceiver.Status(HttpStatusCode.InternalServerError);
        await factory.KeyAsync(owner);
        await DeliveredAsync(1);
        var failed = (await MessagesAsync()).Single();
        failed.Status.Should().Be(WebhookMessageStatus.Pending);
        failed.LastStatusCode.Should().Be(500);
        failed.NextAttemptAt.Should().Be(failed.LastAttemptAt + TimeSpan.FromSeconds(5),
            "the first retry comes after about 5 s");

        receiver.Answer = WebhookReceiver.Status(HttpStatusCode.OK);
        factory.Time.Advance(TimeSpan.FromSeconds(6));
        var both = await DeliveredAsync(2);

        both[1].Id.Should().Be(both[0].Id);
        (await MessagesAsync()).Single().Status.Should().Be(WebhookMessageStatus.Delivered);
    }

    [Fact]
    public async Task W03_of_two_concurrent_revokes_one_commits_with_its_event_and_the_other_writes_neither()
    {
        await EndpointAsync(receiver.Url, WebhookEvents.ApiKeyRevoked);
        var key = await factory.KeyAsync(owner);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => factory.WithScopeAsync(s =>
            s.GetRequiredService<ApiKeyService>().RevokeAsync(key.Key.KeyId, Seed.ActorOf(owner), "twice"))));

        outcomes.Count(o => o.Succeeded).Should().Be(1);
        (await MessagesAsync()).Should().ContainSingle(m => m.Type == WebhookEvents.ApiKeyRevoked)
            .Which.Payload.Should().Contain("\"reason\":\"manual\"");
    }

    [Fact]
    public async Task W03_archiving_someone_writes_staff_archived_and_a_revocation_per_key_with_the_reason_in_the_same_commit()
    {
        await EndpointAsync(receiver.Url, WebhookEvents.ApiKeyRevoked, WebhookEvents.StaffArchived);
        var leaver = await factory.StaffAsync(StaffRole.Admin);
        var keys = new[] { (await factory.KeyAsync(leaver)).Key.KeyId, (await factory.KeyAsync(leaver)).Key.KeyId };

        var archived = await factory.WithScopeAsync(s => s.GetRequiredService<StaffStanding>().ArchiveAsync(leaver.Id,
            Seed.ActorOf(owner)));

        archived.Value!.RevokedKeys.Should().Be(2);
        var events = (await MessagesAsync()).Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();
        events.Where(e => e.GetProperty("type").GetString() == "api_key.revoked")
            .Select(e => (e.GetProperty("data").GetProperty("key_id").GetString(),
                e.GetProperty("data").GetProperty("reason").GetString()))
            .Should().BeEquivalentTo(keys.Select(k => ((string?)k, (string?)"creator_archived")));
        events.Should().ContainSingle(e => e.GetProperty("type").GetString() == "staff.archived")
            .Which.GetProperty("data").GetProperty("staff_id").GetString().Should().Be(leaver.Id);
    }

    [Fact]
    public async Task W04_a_redirect_is_not_followed()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync();
        await EndpointAsync(receiver.Url, WebhookEvents.ApiKeyCreated);
        receiver.Answer = http =>
        {
            http.Response.StatusCode = (int)HttpStatusCode.Found;
            http.Response.Headers.Location = elsewhere.Url;
            return Task.CompletedTask;
        };

        await factory.KeyAsync(owner);
        await DeliveredAsync(1);

        elsewhere.Received.Should().BeEmpty();
        (await MessagesAsync()).Single().LastStatusCode.Should().Be(302, "a redirect is an answer, and not a success");
    }

    [Fact]
    public async Task W05_during_a_rotation_the_old_secret_still_verifies_and_after_24_hours_only_the_new_one()
    {
        await EndpointAsync(receiver.Url, WebhookEvents.ApiKeyCreated);
        var old = await SecretAsync();
        var rotated = await client.PostJsonAsync("/v1/webhooks/secret/rotate", token, "{}");
        var fresh = (await rotated.JsonAsync()).GetProperty("secret").GetString()!;

        await factory.KeyAsync(owner);
        var during = (await DeliveredAsync(1)).Single();
        factory.Time.Advance(WebhookSecrets.Overlap + TimeSpan.FromMinutes(1));
        token = await client.AccessTokenAsync((await factory.KeyAsync(owner, Scopes)).Plaintext);
        var after = (await DeliveredAsync(2))[1];

        during.Signature.Split(' ').Should().HaveCount(2);
        (await StandardWebhooksVerifier.VerifyAsync(old, during)).Should().Be("verified");
        (await StandardWebhooksVerifier.VerifyAsync(fresh, during)).Should().Be("verified");
        after.Signature.Split(' ').Should().ContainSingle();
        var receiverNow = factory.Time.GetUtcNow().ToUnixTimeSeconds(); // the receiver lives a day later too
        (await StandardWebhooksVerifier.VerifyAsync(fresh, after, receiverNow)).Should().Be("verified");
        (await StandardWebhooksVerifier.VerifyAsync(old, after,
            receiverNow)).Should().StartWith("refused: No matching signature");
    }

    [Fact]
    public async Task An_endpoint_whose_every_delivery_failed_for_3_days_is_disabled_and_says_why()
    {
        var id = await EndpointAsync(receiver.Url, WebhookEvents.StaffBlocked);
        receiver.Answer = WebhookReceiver.Status(HttpStatusCode.BadGateway);
        await client.PostJsonAsync($"/v1/webhooks/{id}/test", token, "{}");
        await DeliveredAsync(1);

        factory.Time.Advance(WebhookDispatcher.DisableAfter + TimeSpan.FromMinutes(1));
        await DeliveredAsync(2); // its retry, due long ago, fails too: every delivery has now failed for 3 days
        token = await client.AccessTokenAsync((await factory.KeyAsync(owner, Scopes)).Plaintext);

        var refused = await client.PostJsonAsync($"/v1/webhooks/{id}/test", token, "{}");
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.JsonAsync()).GetProperty("detail").GetString().Should().Contain("enable it to send it events");
        var endpoint = await (await client.GetAsync($"/v1/webhooks/{id}", token)).JsonAsync();
        endpoint.GetProperty("enabled").GetBoolean().Should().BeFalse();
        endpoint.GetProperty("disabledReason").GetString().Should().StartWith("Disabled after every delivery failed " +
            "for 3 days").And.EndWith("Last: HTTP 502.");
    }

    [Fact]
    public async Task W04_a_receivers_answer_is_kept_short_and_as_text()
    {
        var id = await EndpointAsync(receiver.Url, WebhookEvents.StaffBlocked);
        receiver.Answer = http => http.Response.WriteAsync("<script>alert(1)</script>" + new string('x', 5000));
        await client.PostJsonAsync($"/v1/webhooks/{id}/test", token, "{}");
        await DeliveredAsync(1);
        var (ctx, viewer) = await PortalComponents.ContextAsync(factory, owner);
        await using var _ = ctx;

        var page = ctx.RenderPage<DiversitySync.Portal.Components.Webhooks.WebhookDeliveriesPage>(viewer,
            new Dictionary<string, object> { ["Id"] = id });

        var shown = page.WaitForElement(".response-text");
        shown.TextContent.Should()
            .StartWith("<script>alert(1)</script>xxx").And.HaveLength(WebhookMessage.ResponseMaxLength).And.EndWith("…");
        page.FindAll("script").Should().BeEmpty("the answer is text, never markup");
    }

    [Fact]
    public async Task W06_send_test_event_reaches_the_endpoint_and_shows_in_its_delivery_log()
    {
        var id = await EndpointAsync(receiver.Url, WebhookEvents.StaffBlocked);

        (await client.PostJsonAsync($"/v1/webhooks/{id}/test", token,
            "{}")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var test = (await DeliveredAsync(1)).Single();
        var log = await (await client.GetAsync($"/v1/webhooks/{id}/deliveries", token)).JsonAsync();

        test.Body.Should().Contain("\"type\":\"webhook.test\"");
        var entry = log.EnumerateArray().Single();
        entry.GetProperty("type").GetString().Should().Be("webhook.test");
        entry.GetProperty("status").GetString().Should().Be("delivered");
        entry.GetProperty("lastStatusCode").GetInt32().Should().Be(200);
    }

    [Fact]
    public async Task Retry_now_during_an_attempt_keeps_the_retry_and_the_pass_records_the_answer()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Answer = async http =>
        {
            arrived.TrySetResult();
            await release.Task;
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        };
        var id = await EndpointAsync(receiver.Url, WebhookEvents.StaffBlocked);
        (await client.PostJsonAsync($"/v1/webhooks/{id}/test", token,
            "{}")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var pass = factory.Services.GetRequiredService<WebhookDispatcher>().DispatchDueAsync(CancellationToken.None);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var delivery = (await MessagesAsync()).Single(m => m.EndpointId == id);

        var retried = await client.PostJsonAsync($"/v1/webhooks/{id}/deliveries/{delivery.Id}/retry", token, "{}");
        release.SetResult();
        var act = async () => await pass;

        retried.IsSuccessStatusCode.Should().BeTrue();
        await act.Should().NotThrowAsync("recording the answer after a retry reset the attempts must not fail the " +
            "pass");
        var after = (await MessagesAsync()).Single(m => m.Id == delivery.Id);
        after.Status.Should().Be(WebhookMessageStatus.Pending);
        after.Attempts.Should().Be(0, "the retry's fresh round stands");
        after.NextAttemptAt.Should().BeOnOrBefore(factory.Time.GetUtcNow().UtcDateTime,
            "it is due now, as Retry now asked");
        after.LastStatusCode.Should().Be(500, "the answer of the attempt in flight is still logged");
    }

    [Fact]
    public async Task L02_a_delivery_logs_the_endpoint_id_never_the_receivers_url()
    {
        var secretPath = receiver.Url.TrimEnd('/') + "/hook-secret-6f1c2a";
        var id = await EndpointAsync(secretPath, WebhookEvents.StaffBlocked);

        (await client.PostJsonAsync($"/v1/webhooks/{id}/test", token,
            "{}")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await DeliveredAsync(1);

        factory.Logs.AllText.Should().Contain(id).And.NotContain("hook-secret-6f1c2a");
    }
}

using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace DiversitySync.Portal.Tests.Webhooks;

/// <summary>
/// W-04: the real server is killed with SIGKILL while a delivery is in flight; after a restart every event arrives,
/// with its webhook-id.
/// </summary>
public class WebhookCrashTests
{
    [Fact]
    public async Task W04_kill_9_mid_delivery_and_restart_delivers_every_event_at_least_once_with_the_same_webhook_id()
    {
        var dataDirectory = PortalFactory.NewDataDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        var hang = new TaskCompletionSource();
        receiver.Answer = _ => hang.Task; // the first deliveries never get an answer from this receiver
        try
        {
            string token;
            await using (var seed = PortalFactory.Create(dataDirectory))
            {
                var owner = await seed.StaffAsync(StaffRole.Owner);
                token = await seed.CreateClient().AccessTokenAsync((await seed.KeyAsync(owner,
                    "write:webhooks write:api_keys read:api_keys")).Plaintext);
            }

            var port = AppProcess.FreePort();
            using var client = new HttpClient
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromSeconds(10)
            };
            var created = new List<string>();
            using (var server = StartServer(dataDirectory, port))
            {
                await AppProcess.WaitUntilLiveAsync(client, server);
                (await client.PostJsonAsync("/v1/webhooks", token,
                    JsonSerializer.Serialize(new { url = receiver.Url, events = new[] { "api_key.created" } })))
                    .StatusCode.Should().Be(HttpStatusCode.Created);
                for (var i = 0; i < 5; i++)
                {
                    var response = await client.PostJsonAsync("/v1/api-keys", token, $$"""{"name":"Crash {{i}}","environment":"test","scopes":["read:api_keys"]}""");
                    created.Add((await response.JsonAsync()).GetProperty("apiKey").GetProperty("keyId").GetString()!);
                }
                await WaitForAsync(() => receiver.Received.Count >= 1, "a delivery is in flight");
                server.Kill(entireProcessTree: true); // SIGKILL while the receiver holds the request open
                await server.WaitForExitAsync();
            }
            var inFlight = receiver.Received.Select(r => r.Id).ToHashSet();
            hang.SetResult(); // from now on the receiver answers 200
            receiver.Answer = WebhookReceiver.Status(HttpStatusCode.OK);

            using (var restarted = StartServer(dataDirectory, port))
            {
                await AppProcess.WaitUntilLiveAsync(client, restarted);
                // Nothing was answered before the kill, so each event must arrive (again) after it: those in flight
                // with the webhook-id they had.
                await WaitForAsync(() => created.All(id => receiver.Received.Any(r => r.Body.Contains(id)))
                    && inFlight.All(id => receiver.Received.Count(r => r.Id == id) >= 2), "every event is delivered " +
                        "after the restart");
                restarted.Kill(entireProcessTree: true);
            }

            receiver.Received.Where(r => inFlight.Contains(r.Id)).Should().HaveCountGreaterThan(inFlight.Count,
                "what was in flight at the kill is sent again, with the same webhook-id");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            PortalFactory.TryDelete(dataDirectory);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 60 s for: {what}.");
            await Task.Delay(100);
        }
    }

    // A lease of 7 s: how long a crashed attempt waits before it is sent again.
    private static Process StartServer(string dataDirectory, int port) => AppProcess.StartServer(dataDirectory, port,
        ("Webhooks__AllowPrivateNetworks", "true"), ("Webhooks__TimeoutSeconds", "2"));
}

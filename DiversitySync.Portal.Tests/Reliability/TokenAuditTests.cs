using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DiversitySync.Portal.Tests.Reliability;

/// <summary>
/// The token endpoint's audit trail is written from a queue, off the request path (L-01): it is not thinned, and a
/// crash loses at most the last flush interval of it (R-06).
/// </summary>
public class TokenAuditTests
{
    [Fact]
    public async Task L01_ten_thousand_exchanges_write_ten_thousand_token_events_with_distinct_jtis()
    {
        await using var factory = new PortalFactory();
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync(StaffRole.Owner));
        var next = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= 10_000)
            {
                (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK);
            }
        }));
        await factory.Services.GetRequiredService<AuditQueue>().FlushAsync();

        var jtis = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().AuditEvents
            .Where(e => e.Action == AuditActions.TokenIssued
                && e.TargetId == key.Key.KeyId).Select(e => e.Detail!).ToListAsync());
        jtis.Should().HaveCount(10_000);
        jtis.Select(d => d.Split(';')[0]).Distinct().Should().HaveCount(10_000, "each event names its token's jti");
    }

    [Fact]
    public async Task R06_kill_9_loses_at_most_the_last_flush_interval_of_token_events_and_no_acknowledged_revocation()
    {
        var dataDirectory = PortalFactory.NewDataDirectory();
        try
        {
            string keyText, revokedKeyId, adminToken;
            await using (var seed = PortalFactory.Create(dataDirectory))
            {
                var owner = await seed.StaffAsync(StaffRole.Owner);
                keyText = (await seed.KeyAsync(owner)).Plaintext;
                revokedKeyId = (await seed.KeyAsync(owner)).Key.KeyId;
                adminToken = await seed.CreateClient().AccessTokenAsync((await seed.KeyAsync(owner,
                    "read:api_keys write:api_keys")).Plaintext);
            }
            var port = AppProcess.FreePort();
            using var client = new HttpClient
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromSeconds(10)
            };
            var acknowledged = new ConcurrentBag<(string Jti, DateTime At)>();
            DateTime killedAt;
            using (var server = AppProcess.StartServer(dataDirectory, port))
            {
                await AppProcess.WaitUntilLiveAsync(client, server);
                (await client.PostJsonAsync($"/v1/api-keys/{revokedKeyId}/revoke", adminToken,
                    "{}")).StatusCode.Should().Be(HttpStatusCode.OK);
                using var stop = new CancellationTokenSource();
                var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        try
                        {
                            var response = await client.ExchangeAsync(keyText);
                            if (response.StatusCode != HttpStatusCode.OK) continue;
                            var token = (await response.JsonAsync()).GetProperty("access_token").GetString()!;
                            acknowledged.Add((TokenRequests.Payload(token).GetProperty("jti").GetString()!,
                                DateTime.UtcNow));
                        }
                        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
                        {
                            return; // the server is gone
                        }
                    }
                })).ToList();
                await Task.Delay(2000);
                killedAt = DateTime.UtcNow;
                server.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no final flush
                await server.WaitForExitAsync();
                stop.Cancel();
                await Task.WhenAll(load);
            }

            await using var db = new SqliteConnection($"Data " +
                $"Source={Path.Combine(dataDirectory, "diversitysync.db")};Pooling=False");
            await db.OpenAsync();
            var written = new HashSet<string>();
            await using (var command = db.CreateCommand())
            {
                command.CommandText = "SELECT \"Detail\" FROM \"AuditEvents\" WHERE \"Action\" = 'token.issued'";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) written.Add(reader.GetString(0).Split(';')[0]["jti ".Length..]);
            }
            // One flush interval, plus the time one batch takes to commit.
            var mayBeLost = killedAt - AuditQueue.FlushInterval - TimeSpan.FromMilliseconds(750);
            acknowledged.Should().NotBeEmpty();
            acknowledged.Where(a => a.At < mayBeLost).Should().OnlyContain(a => written.Contains(a.Jti),
                "an event older than one flush interval was written");

            using var restarted = AppProcess.StartServer(dataDirectory, port);
            await AppProcess.WaitUntilLiveAsync(client, restarted);
            var again = await client.GetAsync($"/v1/api-keys/{revokedKeyId}", adminToken);
            (await again.JsonAsync()).GetProperty("status").GetString().Should().Be("revoked",
                "what the client was told was revoked stays revoked");
            restarted.Kill(entireProcessTree: true);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            PortalFactory.TryDelete(dataDirectory);
        }
    }
}

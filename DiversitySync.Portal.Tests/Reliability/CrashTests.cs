using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DiversitySync.Portal.Tests.Reliability;

/// <summary>
/// R-06: the real server process is killed with SIGKILL while revocations are in
/// flight, ten times. Each time the database passes PRAGMA integrity_check and every revocation that was
/// acknowledged with 200 is still there.
/// </summary>
public class CrashTests
{
    [Fact]
    public async Task R06_kill_9_under_load_loses_no_acknowledged_revocation()
    {
        var dataDirectory = PortalFactory.NewDataDirectory();
        try
        {
            var (adminToken, victims) = await SeedAsync(dataDirectory);
            var pending = new ConcurrentQueue<string>(victims);
            var acknowledged = new ConcurrentBag<string>();
            var random = new Random(20261122);

            for (var run = 0; run < 10; run++)
            {
                var port = AppProcess.FreePort();
                using var server = AppProcess.StartServer(dataDirectory, port);
                using var client = new HttpClient
                {
                    BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                    Timeout = TimeSpan.FromSeconds(10)
                };
                await AppProcess.WaitUntilLiveAsync(client, server);

                using var stop = new CancellationTokenSource();
                var load = Enumerable.Range(0,
                    8).Select(_ => RevokeUntilStoppedAsync(client, adminToken, pending, acknowledged,
                    stop.Token)).ToList();
                await Task.Delay(random.Next(300, 1200));
                server.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
                await server.WaitForExitAsync();
                stop.Cancel();
                await Task.WhenAll(load);

                await using var db = new SqliteConnection($"Data " +
                    $"Source={Path.Combine(dataDirectory, "diversitysync.db")};Pooling=False");
                await db.OpenAsync();
                (await ScalarAsync(db, "PRAGMA integrity_check")).Should().Be("ok", $"run {run}");
                foreach (var keyId in acknowledged)
                {
                    (await ScalarAsync(db,
                        $"SELECT \"RevokedAt\" IS NOT NULL FROM \"ApiKeys\" WHERE \"KeyId\" = " +
                        $"'{keyId}'")).Should().Be("1", $"run {run}: {keyId} was acknowledged");
                }
            }
            acknowledged.Should().NotBeEmpty("the load must have revoked something for the test to mean anything");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            PortalFactory.TryDelete(dataDirectory);
        }
    }

    private static async Task<(string AdminToken, List<string> Victims)> SeedAsync(string dataDirectory)
    {
        await using var factory = PortalFactory.Create(dataDirectory);
        var owner = await factory.StaffAsync();
        var admin = await factory.KeyAsync(owner, "read:api_keys write:api_keys");
        var victims = new List<string>();
        for (var i = 0; i < 400; i++) victims.Add((await factory.KeyAsync(owner)).Key.KeyId);
        // Minted on the real clock, signed with the persisted key: valid in every server process below.
        return (await factory.CreateClient().AccessTokenAsync(admin.Plaintext), victims);
    }

    private static async Task RevokeUntilStoppedAsync(HttpClient client, string token, ConcurrentQueue<string> pending,
        ConcurrentBag<string> acknowledged, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && pending.TryDequeue(out var keyId))
        {
            try
            {
                var response = await client.PostJsonAsync($"/v1/api-keys/{keyId}/revoke", token, "{}");
                if (response.StatusCode == HttpStatusCode.OK) acknowledged.Add(keyId);
                else if (response.StatusCode != HttpStatusCode.Conflict) pending.Enqueue(keyId);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                // not acknowledged: the server died mid-request, so it may or may not be revoked
                pending.Enqueue(keyId);
                return;
            }
        }
    }

    private static async Task<string?> ScalarAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

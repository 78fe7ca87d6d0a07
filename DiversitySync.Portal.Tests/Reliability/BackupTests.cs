using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DiversitySync.Portal.Tests.Reliability;

/// <summary>
/// R-07: `db backup` copies the SQLite database while the server writes, and the copy starts as a working portal.
/// </summary>
public class BackupTests
{
    [Fact]
    public async Task R07_a_backup_taken_while_keys_are_being_created_restores_with_every_key_acknowledged_before_it()
    {
        var live = PortalFactory.NewDataDirectory();
        var restored = PortalFactory.NewDataDirectory();
        var backup = Path.Combine(PortalFactory.NewDataDirectory(), "portal-backup.db");
        try
        {
            string adminKey, adminToken;
            await using (var factory = PortalFactory.Create(live))
            {
                adminKey = (await factory.KeyAsync(await factory.StaffAsync(),
                    "read:api_keys write:api_keys")).Plaintext;
                adminToken = await factory.CreateClient().AccessTokenAsync(adminKey);
            }
            var port = AppProcess.FreePort();
            using var server = AppProcess.StartServer(live, port);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await AppProcess.WaitUntilLiveAsync(client, server);

            var created = new ConcurrentQueue<string>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var response = await client.PostJsonAsync("/v1/api-keys", adminToken, """{"name":"Made during the backup","environment":"live","scopes":["read:api_keys"]}""");
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        created.Enqueue((await response.JsonAsync()).GetProperty("apiKey").GetProperty("keyId")
                            .GetString()!);
                    }
                }
            })).ToList();
            while (created.Count < 20) await Task.Delay(50);

            var acknowledgedBefore = created.ToList();
            var (exit, stdout, stderr) = await AppProcess.RunAsync(live, "db", "backup", backup);
            while (created.Count < acknowledgedBefore.Count + 20) await Task.Delay(50); // writes went on after it
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            exit.Should().Be(0, stderr);
            stdout.Should().Contain("integrity check ok");
            // Restore as the README says: the backup as the database, beside the key ring.
            File.Copy(backup, Path.Combine(restored, "diversitysync.db"));
            CopyDirectory(Path.Combine(live, "data-protection-keys"), Path.Combine(restored, "data-protection-keys"));
            var restoredPort = AppProcess.FreePort();
            using var restoredServer = AppProcess.StartServer(restored, restoredPort);
            using var restoredClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restoredPort}") };
            await AppProcess.WaitUntilLiveAsync(restoredClient, restoredServer);

            (await restoredClient.ExchangeAsync(adminKey)).StatusCode.Should().Be(HttpStatusCode.OK,
                "keys and the signing key decrypt on the restored copy");
            await using var db = new SqliteConnection($"Data " +
                $"Source={Path.Combine(restored, "diversitysync.db")};Mode=ReadOnly;Pooling=False");
            await db.OpenAsync();
            var keys = new HashSet<string>();
            await using (var command = db.CreateCommand())
            {
                command.CommandText = "SELECT \"KeyId\" FROM \"ApiKeys\"";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
            }
            keys.Should().Contain(acknowledgedBefore);
            restoredServer.Kill(entireProcessTree: true);
            server.Kill(entireProcessTree: true);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var directory in new[] { live, restored, Path.GetDirectoryName(backup)! })
            {
                PortalFactory.TryDelete(directory);
            }
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}

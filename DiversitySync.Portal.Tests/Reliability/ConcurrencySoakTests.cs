using System.Collections.Concurrent;

namespace DiversitySync.Portal.Tests.Reliability;

/// <summary>
/// 100 parallel token exchanges and 20 parallel create/revoke loops for 30 s
/// on a SQLite file, through real Kestrel: no 5xx, and no busy or locked database error surfaces.
/// </summary>
public sealed class ConcurrencySoakTests : IAsyncLifetime
{
    private readonly PortalFactory factory = PortalFactory.Create(settings: new() { ["Keys:UsageFlushSeconds"] = "1" });

    public Task InitializeAsync()
    {
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task R02_thirty_seconds_of_parallel_exchanges_creates_and_revokes_give_no_5xx()
    {
        var owner = await factory.StaffAsync();
        var keys = await Task.WhenAll(Enumerable.Range(0,
            10).Select(_ => factory.KeyAsync(owner, "read:api_keys write:api_keys")));
        var client = factory.CreateClient();
        var adminToken = await client.AccessTokenAsync(keys[0].Plaintext);
        var statuses = new ConcurrentDictionary<int, int>();
        var stop = DateTime.UtcNow.AddSeconds(30);
        void Count(HttpResponseMessage response) => statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);

        var exchanges = Enumerable.Range(0, 100).Select(async i =>
        {
            while (DateTime.UtcNow < stop) Count(await client.ExchangeAsync(keys[i % keys.Length].Plaintext));
        });
        var writers = Enumerable.Range(0, 20).Select(async i =>
        {
            while (DateTime.UtcNow < stop)
            {
                var created = await client.PostJsonAsync("/v1/api-keys", adminToken, $$"""{"name":"Soak {{i}}","environment":"test","scopes":["read:api_keys"]}""");
                Count(created);
                if (created.StatusCode != HttpStatusCode.Created) continue;
                var keyId = (await created.JsonAsync()).GetProperty("apiKey").GetProperty("keyId").GetString();
                Count(await client.PostJsonAsync($"/v1/api-keys/{keyId}/revoke", adminToken, "{}"));
            }
        });
        await Task.WhenAll(exchanges.Concat(writers));

        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        statuses.Keys.Should().OnlyContain(status => status < 500, summary);
        statuses.GetValueOrDefault(201).Should().BePositive(summary);
        statuses.GetValueOrDefault(200).Should().BePositive(summary);
        factory.Logs.AllText.Should().NotContainAny("database is locked", "SQLite Error 5", "SQLite Error 6");
    }
}

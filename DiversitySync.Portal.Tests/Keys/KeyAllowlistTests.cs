using System.Net.Http.Json;

namespace DiversitySync.Portal.Tests.Keys;

/// <summary>The app behind a proxy it trusts (loopback's), with the per-key exchange allowance at 3.</summary>
public sealed class ProxiedPortalFactory() : PortalFactory(new Dictionary<string, string?>
{
    ["RateLimits:KnownProxies:0"] = "127.0.0.1",
    ["RateLimits:Enabled"] = "true",
    ["RateLimits:TokenPerKey:PermitLimit"] = "3",
    ["RateLimits:TokenPerIp:PermitLimit"] = "1000",
    ["RateLimits:FailedTokenPerIp:PermitLimit"] = "1000",
});

/// <summary>
/// A key's IP allowlist (K-11) at the token endpoint and on /v1, with the client IP the rate limits use: the
/// connection's, or X-Forwarded-For from a trusted proxy only.
/// </summary>
public sealed class KeyAllowlistTests(ProxiedPortalFactory factory) : IClassFixture<ProxiedPortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private async Task<HttpResponseMessage> ExchangeFromAsync(string key, string ip, HttpClient? through = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Headers = { Authorization = new("Bearer", key) }
        };
        request.Headers.Add("X-Forwarded-For", ip);
        return await (through ?? client).SendAsync(request);
    }

    private async Task<NewApiKey> KeyFromAsync(params string[] allowed) =>
        await factory.KeyAsync(await factory.StaffAsync(), allowedIps: allowed);

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.77", HttpStatusCode.OK)]
    [InlineData("203.0.113.0/24", "198.51.100.1", HttpStatusCode.Unauthorized)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", HttpStatusCode.OK)]
    [InlineData("2001:db8::/32", "2001:db9::5", HttpStatusCode.Unauthorized)]
    [InlineData("203.0.113.0/24", "::ffff:203.0.113.77", HttpStatusCode.OK)]
    public async Task K11_an_exchange_works_from_inside_the_allowlist_only(string allowed, string from,
        HttpStatusCode expected)
    {
        var key = await KeyFromAsync(allowed);

        (await ExchangeFromAsync(key.Plaintext, from)).StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task K11_without_a_trusted_proxy_x_forwarded_for_is_not_believed()
    {
        await using var direct = factory.Another(new() { ["RateLimits:Enabled"] = "false" });
        var key = await KeyFromAsync("203.0.113.0/24");
        await direct.Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);

        var answer = await ExchangeFromAsync(key.Plaintext, "203.0.113.77", direct.CreateClient());

        answer.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the test server's connection has no address");
    }

    [Fact]
    public async Task K11_a_refusal_from_outside_is_invalid_client_audited_with_the_reason_and_uses_no_allowance()
    {
        var key = await KeyFromAsync("203.0.113.0/24");

        var outside = await ExchangeFromAsync(key.Plaintext, "198.51.100.1");
        for (var i = 0; i < 5; i++) await ExchangeFromAsync(key.Plaintext, "198.51.100.1");
        var inside = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            ExchangeFromAsync(key.Plaintext, "203.0.113.5")));

        (await outside.JsonAsync()).GetProperty("error").GetString().Should().Be("invalid_client");
        inside.Should().OnlyContain(a => a.StatusCode == HttpStatusCode.OK,
            "six refusals from elsewhere used none of the key's three exchanges");
        await factory.Services.GetRequiredService<AuditQueue>().FlushAsync();
        var reasons = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().AuditEvents
            .Where(e => e.TargetId == key.Key.KeyId && e.Action == AuditActions.TokenRefused)
            .Select(e => e.Detail).Distinct().ToListAsync());
        reasons.Should().Equal("address 198.51.100.1 not in the key's IP allowlist");
    }

    [Fact]
    public async Task K11_a_v1_call_with_the_keys_token_from_outside_the_list_is_401()
    {
        var key = await KeyFromAsync("203.0.113.0/24");
        var token = await (await ExchangeFromAsync(key.Plaintext, "203.0.113.5")).JsonAsync();
        Task<HttpResponseMessage> MeFrom(string ip)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me")
            {
                Headers = { Authorization = new("Bearer", token.GetProperty("access_token").GetString()) }
            };
            request.Headers.Add("X-Forwarded-For", ip);
            return client.SendAsync(request);
        }

        ((await MeFrom("203.0.113.5")).StatusCode, (await MeFrom("198.51.100.1")).StatusCode).Should()
            .Be((HttpStatusCode.OK, HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task K11_changing_the_list_is_audited_with_before_and_after_and_applies_at_once()
    {
        var owner = await factory.StaffAsync();
        var key = await factory.KeyAsync(owner);
        var admin = await factory.KeyAsync(owner, $"{ScopeCatalog.ReadApiKeys} {ScopeCatalog.WriteApiKeys}");
        var token = (await (await ExchangeFromAsync(admin.Plaintext, "192.0.2.1")).JsonAsync())
            .GetProperty("access_token").GetString()!;
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/api-keys/{key.Key.KeyId}")
        {
            Headers = { Authorization = new("Bearer", token) },
            Content = JsonContent.Create(new { allowedIps = new[] { "203.0.113.0/24" } }),
        };
        patch.Headers.Add("X-Forwarded-For", "192.0.2.1");

        var answer = await client.SendAsync(patch);

        (await answer.JsonAsync()).GetProperty("allowedIps")[0].GetString().Should().Be("203.0.113.0/24");
        (await ExchangeFromAsync(key.Plaintext, "198.51.100.1")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var changed = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().AuditEvents
            .Where(e => e.TargetId == key.Key.KeyId && e.Action == AuditActions.KeyAllowedIpsChanged)
            .Select(e => e.Detail).ToListAsync());
        changed.Should().Equal("from anywhere → 203.0.113.0/24");
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("203.0.113.0/24,203.0.113.9")]
    [InlineData("not-an-ip")]
    [InlineData("51")]
    public async Task K11_a_bad_list_on_create_is_a_400_naming_allowedIps_and_makes_no_key(string entries)
    {
        var list = entries == "51"
            ? Enumerable.Range(1, 51).Select(i => $"192.0.2.{i}").ToArray()
            : entries.Split(',');
        var admin = await factory.KeyAsync(await factory.StaffAsync(), ScopeCatalog.WriteApiKeys);
        var token = (await (await ExchangeFromAsync(admin.Plaintext, "192.0.2.1")).JsonAsync())
            .GetProperty("access_token").GetString()!;
        var create = new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys")
        {
            Headers = { Authorization = new("Bearer", token) },
            Content = JsonContent.Create(new
            {
                name = "Bad list",
                environment = "live",
                scopes = new[] { ScopeCatalog.WriteApiKeys },
                allowedIps = list
            }),
        };
        create.Headers.Add("X-Forwarded-For", "192.0.2.1");

        var answer = await client.SendAsync(create);

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await answer.JsonAsync()).GetProperty("errors").TryGetProperty("allowedIps", out _).Should().BeTrue();
        (await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys
            .CountAsync(k => k.Name == "Bad list"))).Should().Be(0);
    }
}

using System.Net.Sockets;

namespace DiversitySync.Portal.Tests.Webhooks;

/// <summary>Where webhooks may go (W-02).</summary>
public class WebhookRulesTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private Task<int> EndpointCountAsync() =>
        factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().WebhookEndpoints.CountAsync());

    [Theory]
    [InlineData("http://example.com/hooks", "The URL must use https://.")]
    [InlineData("https://127.0.0.1/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://10.20.30.40/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "not allowed: its host is not a public address")]
    [InlineData("https://[::1]/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://localhost/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://[::127.0.0.1]/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://[::ffff:0:127.0.0.1]/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://[64:ff9b::7f00:1]/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://[2002:7f00:1::]/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://203.0.113.5/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://no-such-host.invalid/hooks", "not allowed: its host is not a public address")]
    [InlineData("https://example.com/\u001b[31mred", "control or bidirectional-text characters")]
    [InlineData("https://example.com/a\r\nX-Injected: 1", "control or bidirectional-text characters")]
    [InlineData("https://example.com/\u202Egnp.exe", "control or bidirectional-text characters")]
    [InlineData("https://user:pass@example.com/hooks", "cannot carry a user name or password")]
    [InlineData("/relative", "must be absolute")]
    public async Task W02_an_endpoint_that_is_not_https_to_a_public_host_is_refused_and_nothing_is_saved(string url,
        string message)
    {
        var token = await client.AccessTokenAsync((await factory.KeyAsync(await factory.StaffAsync(StaffRole.Owner),
            "write:webhooks")).Plaintext);
        var before = await EndpointCountAsync();

        var response = await client.PostJsonAsync("/v1/webhooks", token,
            JsonSerializer.Serialize(new { url, events = new[] { "api_key.created" } }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().Contain(message);
        (await EndpointCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task W02_every_connection_resolves_again_so_a_name_that_now_points_at_loopback_is_refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var connect = async () => await WebhookUrls.ConnectAsync(new DnsEndPoint("localhost", port),
            allowPrivate: false, CancellationToken.None);

        await connect.Should().ThrowAsync<HttpRequestException>().WithMessage("*resolves to no address a webhook may " +
            "be sent to*");
        await using var allowed = await WebhookUrls.ConnectAsync(new DnsEndPoint("localhost", port), allowPrivate: true,
            CancellationToken.None);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("172.16.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("::ffff:0:127.0.0.1", false)]
    [InlineData("64:ff9b::7f00:1", false)]
    [InlineData("64:ff9b::808:808", true)]
    [InlineData("64:ff9b:1::808:808", false)]
    [InlineData("2002:7f00:1::", false)]
    [InlineData("2002:808:808::1", true)]
    [InlineData("2001:0:4136:e378::1", false)] // Teredo
    [InlineData("2001:db8::1", false)]
    [InlineData("3fff::1", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("ff02::1", false)]
    [InlineData("100::1", false)]
    [InlineData("192.0.0.8", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("192.88.99.1", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("198.19.255.255", false)]
    [InlineData("198.20.0.1", true)]
    [InlineData("198.51.100.7", false)]
    [InlineData("203.0.113.9", false)]
    [InlineData("240.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("100.128.0.1", true)]
    [InlineData("172.32.0.1", true)]
    public void Only_globally_reachable_unicast_addresses_are_public(string address, bool isPublic)
    {
        WebhookUrls.IsPublic(IPAddress.Parse(address)).Should().Be(isPublic);
    }

    [Fact]
    public async Task W02_without_write_webhooks_a_change_is_forbidden_before_any_url_is_looked_at()
    {
        var key = (await factory.KeyAsync(await factory.StaffAsync(StaffRole.Owner), "read:webhooks")).Key;
        var actor = DiversitySync.Portal.Core.Actor.Key(key.KeyId, key.Name, new HashSet<string> { "read:webhooks" });

        var refusal = await factory.WithScopeAsync(async s => (await s.GetRequiredService<WebhookEndpointService>()
            .CreateAsync(actor, new("https://no-such-host.invalid/hooks", null, ["api_key.created"]))).Refusal);

        refusal!.Kind.Should().Be(RefusalKind.Forbidden,
            "the permission decides first; the URL (and its DNS) is never looked at");
        refusal.Message.Should().NotContain("host");
    }

    [Fact]
    public async Task An_endpoint_created_disabled_stays_disabled()
    {
        await using var local = PortalFactory.Create(settings: new()
        {
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Webhooks:Dispatch"] = "false"
        });
        var api = local.CreateClient();
        var token = await api.AccessTokenAsync((await local.KeyAsync(await local.StaffAsync(StaffRole.Owner),
            "write:webhooks read:webhooks")).Plaintext);

        var created = await api.PostJsonAsync("/v1/webhooks", token, """{"url":"https://127.0.0.1:9/hooks","events":["api_key.created"],"enabled":false}""");

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        (await created.JsonAsync()).GetProperty("enabled").GetBoolean().Should().BeFalse();
    }
}

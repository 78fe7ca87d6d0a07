using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tests.Infrastructure;
using DiversitySync.Portal.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DiversitySync.Portal.Tests.Webhooks;

/// <summary>Where webhooks may go (W-02).</summary>
public class WebhookRulesTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private Task<int> EndpointCountAsync() => factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().WebhookEndpoints.CountAsync());

    [Theory]
    [InlineData("http://example.com/hooks", "The URL must use https://.")]
    [InlineData("https://127.0.0.1/hooks", "resolves to a loopback, private, link-local or multicast address")]
    [InlineData("https://10.20.30.40/hooks", "resolves to a loopback, private, link-local or multicast address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "resolves to a loopback, private, link-local or multicast address")]
    [InlineData("https://[::1]/hooks", "resolves to a loopback, private, link-local or multicast address")]
    [InlineData("https://localhost/hooks", "resolves to a loopback, private, link-local or multicast address")]
    [InlineData("https://user:pass@example.com/hooks", "cannot carry a user name or password")]
    [InlineData("/relative", "must be absolute")]
    public async Task W02_an_endpoint_that_is_not_https_to_a_public_host_is_refused_and_nothing_is_saved(string url, string message)
    {
        var token = await client.AccessTokenAsync((await factory.KeyAsync(await factory.StaffAsync(StaffRole.Owner), "write:webhooks")).Plaintext);
        var before = await EndpointCountAsync();

        var response = await client.PostJsonAsync("/v1/webhooks", token, JsonSerializer.Serialize(new { url, events = new[] { "api_key.created" } }));

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

        var connect = async () => await WebhookUrls.ConnectAsync(new DnsEndPoint("localhost", port), allowPrivate: false, CancellationToken.None);

        await connect.Should().ThrowAsync<HttpRequestException>().WithMessage("*resolves to no address a webhook may be sent to*");
        await using var allowed = await WebhookUrls.ConnectAsync(new DnsEndPoint("localhost", port), allowPrivate: true, CancellationToken.None);
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
    public void Only_public_addresses_are_public(string address, bool isPublic)
    {
        WebhookUrls.IsPublic(IPAddress.Parse(address)).Should().Be(isPublic);
    }
}

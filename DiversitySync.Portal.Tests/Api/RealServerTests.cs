using System.Text;
using System.Text.RegularExpressions;

namespace DiversitySync.Portal.Tests.Api;

/// <summary>
/// Through real Kestrel on a loopback port: limits the in-memory test server does not enforce, and the logs of a whole
/// session.
/// </summary>
public sealed class RealServerTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Theory]
    [InlineData("/oauth/token")]
    [InlineData("/v1/me")]
    public async Task J13_headers_over_32_kb_get_431(string path)
    {
        var request = new HttpRequestMessage(path == "/v1/me" ? HttpMethod.Get : HttpMethod.Post, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('a', 40 * 1024));

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Fact]
    public async Task A_v1_body_over_64_kb_is_refused_with_413_before_it_is_read()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(), "read:api_keys write:api_keys");
        var token = await client.AccessTokenAsync(key.Plaintext);

        var response = await client.PostJsonAsync("/v1/api-keys", token, $$"""{"name":"big","description":"{{new string('d', 70 * 1024)}}"}""");

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("   at ");
    }

    [Fact]
    public async Task L02_a_whole_session_logs_no_key_token_or_basic_credential()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(), "read:api_keys write:api_keys");
        var token = await client.AccessTokenAsync(key.Plaintext);
        await client.GetAsync("/v1/me", token);
        await client.GetAsync("/v1/api-keys?search=%0d%0aFAKE", token);
        await client.PostJsonAsync("/v1/api-keys", token, """{"name":"Made through v1","environment":"live","scopes":["read:api_keys"]}""");
        await client.PostJsonAsync("/v1/api-keys", token, """{"name":""");
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Headers = { Authorization = new("Basic", TokenRequests.Basic(key.Key.KeyId, key.Plaintext)) },
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        });
        await client.PostAsync($"/oauth/token?client_secret={key.Plaintext}", new StringContent(""));
        await client.PostAsync("/oauth/token", new StringContent($$"""{"key":"{{key.Plaintext[..^1]}}x"}""", Encoding.UTF8, "application/json"));
        await client.GetAsync("/v1/me", token[..^4]);

        var logs = factory.Logs.AllText;
        logs.Should().NotMatchRegex("ds_(live|test)_[0-9a-f]{16}_[0-9a-f]{8}");
        Regex.IsMatch(logs, @"eyJ[\w-]+\.eyJ").Should().BeFalse("no JWT is logged");
        Regex.IsMatch(logs, "Basic [A-Za-z0-9+/=]{8,}").Should().BeFalse("no Basic credential is logged");
        logs.Should().NotContain(key.Plaintext[25..]);
    }
}

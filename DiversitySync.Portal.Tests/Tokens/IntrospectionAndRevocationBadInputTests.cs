using System.Text;

namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>
/// Hostile and malformed requests to /oauth/introspect and /oauth/revoke: each gets a 4xx RFC 6749 error with
/// no-store, never a 5xx, and nothing is revoked or written.
/// </summary>
public class IntrospectionAndRevocationBadInputTests(QuietPortalFactory factory) : IClassFixture<QuietPortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in new[] { "/oauth/introspect", "/oauth/revoke" })
        {
            foreach (var bad in new[]
                     {
                         "GET", "PUT", "DELETE", "json body", "token twice", "token over 8 KB", "control " +
                             "characters", "query string",
                         "no token", "unknown hint", "hint twice", "two credentials", "no credentials", "multipart",
                     })
            {
                data.Add(path, bad);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_bad_request_gets_a_4xx_oauth_error_and_changes_nothing(string path, string bad)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(), "read:api_keys read:tokens");
        var token = await client.AccessTokenAsync(key.Plaintext);
        var basic = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            TokenRequests.Basic(key.Key.KeyId, key.Plaintext));
        HttpContent Form(params (string Name, string Value)[] fields) =>
            new StringContent(string.Join('&',
                fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}")), Encoding.UTF8,
                "application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Headers = { Authorization = basic } };
        switch (bad)
        {
            case "GET" or "PUT" or "DELETE":
                request.Method = new HttpMethod(bad);
                break;
            case "json body":
                request.Content = new StringContent($$"""{"token":"{{token}}"}""", Encoding.UTF8, "application/json");
                break;
            case "token twice":
                request.Content = Form(("token", token), ("token", key.Plaintext));
                break;
            case "token over 8 KB":
                request.Content = Form(("token", token + new string('a', 9000)));
                break;
            case "control characters":
                request.Content = Form(("token", token + "\u001b[31m"));
                break;
            case "query string":
                request.RequestUri = new Uri($"{path}?token={token}", UriKind.Relative);
                request.Content = Form(("token", token));
                break;
            case "no token":
                request.Content = Form(("token_type_hint", "access_token"));
                break;
            case "unknown hint":
                request.Content = Form(("token", token), ("token_type_hint", "id_token"));
                break;
            case "hint twice":
                request.Content = Form(("token", token), ("token_type_hint", "access_token"),
                    ("token_type_hint", "access_token"));
                break;
            case "two credentials":
                request.Content = Form(("token", token), ("client_id", key.Key.KeyId),
                    ("client_secret", key.Plaintext));
                break;
            case "no credentials":
                request.Headers.Authorization = null;
                request.Content = Form(("token", token));
                break;
            default:
                request.Content = new MultipartFormDataContent { { new StringContent(token), "token" } };
                break;
        }
        var revokedBefore = await factory.WithScopeAsync(s =>
            s.GetRequiredService<PortalDbContext>().RevokedAccessTokens.CountAsync());

        var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().BeInRange(400, 499, body);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        (await response.JsonAsync()).GetProperty("error").GetString().Should().NotBeNullOrEmpty();
        body.Should().NotContain("   at ").And.NotContain("Exception");
        if (bad is "GET" or "PUT" or "DELETE") response.Content.Headers.Allow.Should().Equal("POST");
        (await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().RevokedAccessTokens.CountAsync()))
            .Should().Be(revokedBefore);
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK, "the token still works");
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK, "the key still works");
    }
}

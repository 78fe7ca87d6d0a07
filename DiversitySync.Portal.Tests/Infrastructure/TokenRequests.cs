using System.Net.Http.Headers;
using System.Text;

namespace DiversitySync.Portal.Tests.Infrastructure;

public static class TokenRequests
{
    /// <summary>
    /// The documented form: Authorization: Bearer &lt;key&gt;, with an optional scope in a form body.
    /// </summary>
    public static Task<HttpResponseMessage> ExchangeAsync(this HttpClient client, string key, string? scope = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (scope is not null) request.Content = new FormUrlEncodedContent([new("scope", scope)]);
        return client.SendAsync(request);
    }

    public static async Task<string> AccessTokenAsync(this HttpClient client, string key, string? scope = null)
    {
        var response = await client.ExchangeAsync(key, scope);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("access_token").GetString()!;
    }

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path, string accessToken) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            path)
        { Headers = { Authorization = new("Bearer", accessToken) } });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string accessToken,
        string json) =>
        client.SendJsonAsync(HttpMethod.Post, path, accessToken, json);

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path,
        string accessToken, string json) =>
        client.SendAsync(new HttpRequestMessage(method, path)
        {
            Headers = { Authorization = new("Bearer", accessToken) },
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static string Basic(string user, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>The JWT's payload, decoded without any checking, for asserting claims.</summary>
    public static JsonElement Payload(string jwt) => Segment(jwt, 1);

    public static JsonElement Header(string jwt) => Segment(jwt, 0);

    private static JsonElement Segment(string jwt, int index) =>
        JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(jwt.Split('.')[index])).RootElement.Clone();
}

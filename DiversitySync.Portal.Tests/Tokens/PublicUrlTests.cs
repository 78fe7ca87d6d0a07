using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>
/// Without Portal:PublicUrl the server announces the address it listens on, so clients that discover it work.
/// </summary>
public class PublicUrlTests
{
    [Theory]
    [InlineData(null, "http://localhost:5080")]
    [InlineData("http://127.0.0.1:7000", "http://127.0.0.1:7000")]
    [InlineData("https://+:8443;http://+:8080", "https://localhost:8443")]
    [InlineData("http://0.0.0.0:9000/", "http://localhost:9000")]
    [InlineData("http://[::]:9001", "http://localhost:9001")]
    public void The_first_listen_address_is_the_public_url(string? urls, string expected) =>
        PublicUrlSetup.FromListenAddresses(urls).Should().Be(expected);

    [Fact]
    public async Task Started_with_urls_and_no_public_url_a_standard_client_discovers_and_uses_that_port()
    {
        var dataDirectory = PortalFactory.NewDataDirectory();
        var port = AppProcess.FreePort();
        var origin = $"http://127.0.0.1:{port}";
        var setupLink = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = AppProcess.StartInfo(dataDirectory, "--urls", origin);
        using var server = Process.Start(start)!;
        try
        {
            server.OutputDataReceived += (_, line) =>
            {
                if (line.Data?.Trim() is { } text && text.Contains("/setup?token=")) setupLink.TrySetResult(text);
            };
            server.ErrorDataReceived += (_, _) => { };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            using var client = new HttpClient { BaseAddress = new Uri(origin) };
            await AppProcess.WaitUntilLiveAsync(client, server);

            (await setupLink.Task.WaitAsync(TimeSpan.FromSeconds(30))).Should().StartWith($"{origin}/setup?token=");

            (await AppProcess.RunAsync(dataDirectory, "staff", "create", "--email", "olive@example.com", "--name",
                "Olive Owner", "--role", "Owner")).ExitCode.Should().Be(0);
            var created = await AppProcess.RunAsync(dataDirectory, "keys", "create", "--creator", "olive@example.com",
                "--name", "Discovery", "--env", "live", "--scopes", "read:api_keys");
            var apiKey = created.Stdout.Trim();

            // What any OAuth client library does: metadata (RFC 8414) → token endpoint and JWKS → client credentials.
            using var metadata = JsonDocument.Parse(await client.GetStringAsync("/.well-known/oauth-authorization-server"));
            var issuer = metadata.RootElement.GetProperty("issuer").GetString();
            var tokenEndpoint = metadata.RootElement.GetProperty("token_endpoint").GetString()!;
            var jwksUri = metadata.RootElement.GetProperty("jwks_uri").GetString()!;
            issuer.Should().Be(origin);
            tokenEndpoint.Should().Be($"{origin}/oauth/token");
            jwksUri.Should().Be($"{origin}/.well-known/jwks.json");

            var tokenResponse = await client.PostAsync(tokenEndpoint, new FormUrlEncodedContent(
                [new("grant_type", "client_credentials"), new("client_id", apiKey[8..24]),
                    new("client_secret", apiKey)]));
            tokenResponse.StatusCode.Should().Be(HttpStatusCode.OK, await tokenResponse.Content.ReadAsStringAsync());
            var accessToken = (await tokenResponse.JsonAsync()).GetProperty("access_token").GetString()!;

            var jwks = new JsonWebKeySet(await client.GetStringAsync(jwksUri));
            var validated = await new JsonWebTokenHandler().ValidateTokenAsync(accessToken,
                new TokenValidationParameters
                {
                    ValidIssuer = issuer,
                    ValidAudience = "diversitysync-api",
                    IssuerSigningKeys = jwks.GetSigningKeys(),
                });
            validated.IsValid.Should().BeTrue(validated.Exception?.Message);
            (await client.GetAsync("/v1/me", accessToken)).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            PortalFactory.TryDelete(dataDirectory);
        }
    }
}

using System.Security.Claims;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>The real app on a loopback port whose public URL is that address, as a deployment is.</summary>
public sealed class PortalOnLoopback : IAsyncLifetime
{
    public PortalOnLoopback()
    {
        var port = AppProcess.FreePort();
        Url = $"http://127.0.0.1:{port}";
        Factory = PortalFactory.Create(settings: new() { ["Portal:PublicUrl"] = Url });
        Factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
    }

    public string Url { get; }

    public PortalFactory Factory { get; }

    public Task InitializeAsync()
    {
        Factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// Libraries nobody here wrote, with their default settings, are the judge: a downstream ASP.NET Core service with
/// JwtBearer given nothing but Authority and Audience, and Duende.IdentityModel's discovery, client credentials,
/// introspection and revocation clients.
/// </summary>
public sealed class StandardClientTests(PortalOnLoopback portal) : IClassFixture<PortalOnLoopback>
{
    private readonly HttpClient http = new();

    private async Task<(string KeyId, string Secret)> KeyAsync(string scopes = "read:api_keys")
    {
        var key = await portal.Factory.KeyAsync(await portal.Factory.StaffAsync(), scopes);
        return (key.Key.KeyId, key.Plaintext);
    }

    private async Task<string> TokenAsync(string scopes = "read:api_keys")
    {
        var (id, secret) = await KeyAsync(scopes);
        var token = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = portal.Url + "/oauth/token",
            ClientId = id,
            ClientSecret = secret,
        });
        token.IsError.Should().BeFalse(token.Error);
        return token.AccessToken!;
    }

    [Fact]
    public async Task S05_the_openid_configuration_is_the_rfc8414_document_under_the_oidc_name()
    {
        var oidc = await http.GetAsync(portal.Url + "/.well-known/openid-configuration");
        var oauth = await http.GetAsync(portal.Url + "/.well-known/oauth-authorization-server");

        oidc.StatusCode.Should().Be(HttpStatusCode.OK);
        (await oidc.Content.ReadAsStringAsync()).Should().Be(await oauth.Content.ReadAsStringAsync());
        oidc.Headers.CacheControl!.ToString().Should()
            .Be(oauth.Headers.CacheControl!.ToString()).And.Contain("max-age=300");
        var metadata = await oidc.JsonAsync();
        metadata.GetProperty("issuer").GetString().Should().Be(portal.Url);
        metadata.GetProperty("introspection_endpoint").GetString().Should().Be(portal.Url + "/oauth/introspect");
        metadata.GetProperty("revocation_endpoint").GetString().Should().Be(portal.Url + "/oauth/revoke");
        metadata.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()).Should()
            .Contain("read:tokens");
        metadata.TryGetProperty("authorization_endpoint",
            out _).Should().BeFalse("the portal issues no ID tokens and has no authorization endpoint");
    }

    [Fact]
    public async Task S05_a_jwtbearer_service_given_only_authority_and_audience_accepts_our_tokens_and_refuses_a_tampered_one()
    {
        await using var service = await ResourceServerAsync(portal.Url);
        var token = await TokenAsync();
        var signature = token[(token.LastIndexOf('.') + 1)..];
        var tampered = token[..(token.LastIndexOf('.') + 1)] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];

        var accepted = await http.GetAsync(service.Url + "/whoami", token);
        var refused = await http.GetAsync(service.Url + "/whoami", tampered);

        accepted.StatusCode.Should().Be(HttpStatusCode.OK, "JwtBearer read our discovery document, issuer and keys");
        (await accepted.Content.ReadAsStringAsync()).Should()
            .Be(TokenRequests.Payload(token).GetProperty("sub").GetString());
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task S05_Duende_discovery_and_client_credentials_work_with_default_policy_in_both_client_forms()
    {
        var disco = await http.GetDiscoveryDocumentAsync(portal.Url);
        disco.IsError.Should().BeFalse(disco.Error);
        disco.KeySet!.Keys.Should().NotBeEmpty();
        var (id, secret) = await KeyAsync();

        foreach (var style in new[] { ClientCredentialStyle.AuthorizationHeader, ClientCredentialStyle.PostBody })
        {
            var token = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = disco.TokenEndpoint,
                ClientId = id,
                ClientSecret = secret,
                ClientCredentialStyle = style,
                Scope = "read:api_keys",
                Parameters = { { "resource_hint", "extra fields are ignored" } },
            });
            token.IsError.Should().BeFalse($"{style}: {token.Error} {token.ErrorDescription}");
            token.ExpiresIn.Should().Be(900);
        }
    }

    [Fact]
    public async Task S01_S02_Duende_introspects_and_revokes_a_token_through_the_advertised_endpoints()
    {
        var disco = await http.GetDiscoveryDocumentAsync(portal.Url);
        var (id, secret) = await KeyAsync("read:api_keys read:tokens");
        var token = (await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = id,
            ClientSecret = secret,
            Scope = "read:api_keys",
        })).AccessToken!;
        TokenIntrospectionRequest Introspect() => new()
        {
            Address = disco.IntrospectionEndpoint,
            ClientId = id,
            ClientSecret = secret,
            Token = token
        };

        var before = await http.IntrospectTokenAsync(Introspect());
        var revoked = await http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = disco.RevocationEndpoint,
            ClientId = id,
            ClientSecret = secret,
            Token = token,
            TokenTypeHint = "access_token",
        });
        var after = await http.IntrospectTokenAsync(Introspect());

        before.IsError.Should().BeFalse(before.Error);
        before.IsActive.Should().BeTrue();
        before.Claims.Should().Contain(c => c.Type == "scope" && c.Value == "read:api_keys");
        revoked.IsError.Should().BeFalse(revoked.Error);
        after.IsActive.Should().BeFalse();
        (await http.GetAsync(portal.Url + "/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// A downstream service as its README would set it up: JwtBearer with Authority and Audience only.
    /// </summary>
    private static async Task<ResourceServer> ResourceServerAsync(string authority)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication().AddJwtBearer(options =>
        {
            options.Authority = authority;
            options.Audience = "diversitysync-api";
            options.RequireHttpsMetadata = false; // loopback only: the test portal serves plain HTTP
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.MapGet("/whoami",
            (ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)).RequireAuthorization();
        await app.StartAsync();
        return new ResourceServer(app, app.Urls.First());
    }

    private sealed record ResourceServer(WebApplication App, string Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}

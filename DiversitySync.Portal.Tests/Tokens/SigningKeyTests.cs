using DiversitySync.Portal.Tokens;

namespace DiversitySync.Portal.Tests.Tokens;

public class SigningKeyTests
{
    [Fact]
    public async Task K07_a_token_minted_before_a_restart_validates_after_it()
    {
        var dataDirectory = PortalFactory.NewDataDirectory();
        try
        {
            string token;
            await using (var before = PortalFactory.Create(dataDirectory))
            {
                var key = await before.KeyAsync(await before.StaffAsync());
                token = await before.CreateClient().AccessTokenAsync(key.Plaintext);
            }

            await using var after = PortalFactory.Create(dataDirectory);
            var response = await after.CreateClient().GetAsync("/v1/me", token);

            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            PortalFactory.TryDelete(dataDirectory);
        }
    }

    [Fact]
    public async Task J15_after_a_rotation_old_tokens_pass_until_the_key_is_two_rotations_old()
    {
        await using var factory = new PortalFactory();
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var firstToken = await client.AccessTokenAsync(key.Plaintext);
        var firstKid = TokenRequests.Header(firstToken).GetProperty("kid").GetString();

        await RotateAsync(factory);
        var secondToken = await client.AccessTokenAsync(key.Plaintext);

        TokenRequests.Header(secondToken).GetProperty("kid").GetString().Should().NotBe(firstKid);
        var jwks = await (await client.GetAsync("/.well-known/jwks.json")).JsonAsync();
        jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString())
            .Should().BeEquivalentTo([firstKid, TokenRequests.Header(secondToken).GetProperty("kid").GetString()]);
        (await client.GetAsync("/v1/me", firstToken)).StatusCode.Should().Be(HttpStatusCode.OK);

        await RotateAsync(factory);

        (await client.GetAsync("/v1/me", firstToken)).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "its key is retired");
        (await client.GetAsync("/v1/me", secondToken)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_jwks_publishes_public_parameters_only()
    {
        await using var factory = new PortalFactory();

        var jwks = await factory.CreateClient().GetStringAsync("/.well-known/jwks.json");

        jwks.Should().Contain("\"kty\":\"RSA\"").And.Contain("\"alg\":\"RS256\"").And.Contain("\"use\":\"sig\"");
        foreach (var privateMember in new[] { "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"" })
        {
            jwks.Should().NotContain(privateMember);
        }
    }

    [Fact]
    public async Task The_rfc8414_metadata_names_the_token_endpoint_and_jwks()
    {
        await using var factory = new PortalFactory();

        var metadata = await (await factory.CreateClient().GetAsync("/.well-known/oauth-authorization-server"))
            .JsonAsync();

        metadata.GetProperty("issuer").GetString().Should().Be("http://localhost:5080");
        metadata.GetProperty("token_endpoint").GetString().Should().Be("http://localhost:5080/oauth/token");
        metadata.GetProperty("jwks_uri").GetString().Should().Be("http://localhost:5080/.well-known/jwks.json");
        metadata.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).Should()
            .Equal("client_credentials");
        metadata.GetProperty("scopes_supported").EnumerateArray().Select(g => g.GetString()).Should()
            .Contain(["read:api_keys", "read:participants"]);
    }

    [Fact]
    public async Task A_private_key_on_disk_is_encrypted_with_data_protection()
    {
        await using var factory = new PortalFactory();
        factory.CreateClient();

        var stored = await factory.WithScopeAsync(s => Task.FromResult(s.GetRequiredService<PortalDbContext>().SigningKeys.Select(k => k.ProtectedPrivateKey).ToList()));

        stored.Should().NotBeEmpty().And.OnlyContain(k => !k.Contains("PRIVATE KEY"));
    }

    [Theory]
    [InlineData("PS256", "RSA")]
    [InlineData("ES256", "EC")]
    public async Task The_signing_algorithm_is_configuration(string algorithm, string keyType)
    {
        await using var factory = PortalFactory.Create(settings: new() { ["Tokens:Algorithm"] = algorithm });
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync());

        var token = await client.AccessTokenAsync(key.Plaintext);

        TokenRequests.Header(token).GetProperty("alg").GetString().Should().Be(algorithm);
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetStringAsync("/.well-known/jwks.json")).Should().Contain($"\"kty\":\"{keyType}\"");
    }

    [Fact]
    public async Task K07_a_configured_pem_key_takes_precedence_and_is_not_rotated_by_the_cli()
    {
        var pemFile = Path.GetTempFileName();
        using var rsa = System.Security.Cryptography.RSA.Create(3072);
        await File.WriteAllTextAsync(pemFile, rsa.ExportPkcs8PrivateKeyPem());
        try
        {
            await using var factory = PortalFactory.Create(settings: new() { ["Tokens:SigningKeyFile"] = pemFile });
            var client = factory.CreateClient();
            var key = await factory.KeyAsync(await factory.StaffAsync());

            var token = await client.AccessTokenAsync(key.Plaintext);

            var expectedKid = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(
                new Microsoft.IdentityModel.Tokens.RsaSecurityKey(rsa.ExportParameters(false)).ComputeJwkThumbprint());
            TokenRequests.Header(token).GetProperty("kid").GetString().Should().Be(expectedKid);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            (await Portal.Cli.AdminCli.RunAsync(factory.Services, ["signing-keys", "rotate"], stdout,
                stderr)).Should().Be(1);
            stderr.ToString().Should().Contain("Tokens:SigningKeyFile");
        }
        finally
        {
            File.Delete(pemFile);
        }
    }

    private static Task RotateAsync(PortalFactory factory) => factory.WithScopeAsync(s =>
        s.GetRequiredService<SigningKeyStore>().RotateAsync(s.GetRequiredService<UnitOfWork>(), Actor.System));
}

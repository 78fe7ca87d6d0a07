using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tests.Api;

/// <summary>SECURITY.md, "Top-10 bad inputs" for /v1, row by row.</summary>
public class BearerBadInputTests : IClassFixture<PortalFactory>
{
    private const string Invalid = "Bearer error=\"invalid_token\"";
    private readonly PortalFactory factory;
    private readonly HttpClient client;
    private readonly JwtForge forge;

    public BearerBadInputTests(PortalFactory factory)
    {
        this.factory = factory;
        client = factory.CreateClient();
        forge = new JwtForge(factory);
    }

    private async Task<string> KeyIdAsync(string scopes = "read:api_keys")
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(), scopes);
        return key.Key.KeyId;
    }

    private Task<HttpResponseMessage> SendAsync(string? authorization, string path = "/v1/me")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return client.SendAsync(request);
    }

    private async Task ShouldBeInvalidTokenAsync(string token, string because = "")
    {
        var response = await SendAsync($"Bearer {token}");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, because);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith(Invalid, because);
    }

    [Fact]
    public async Task A_well_forged_token_is_accepted_so_every_rejection_below_is_due_to_its_mutation()
    {
        var keyId = await KeyIdAsync();

        var response = await SendAsync($"Bearer {forge.Sign(forge.Header(), forge.Claims(keyId, "read:api_keys"))}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory] // L-05: JwtBearer's own descriptions would say "The audience 'payroll-api' is invalid"
    [InlineData("aud", "payroll-api")]
    [InlineData("iss", "https://evil.example")]
    public async Task L05_a_refused_claim_is_echoed_neither_as_received_nor_as_expected(string claim, string forged)
    {
        var token = forge.Sign(forge.Header(),
            new(forge.Claims(await KeyIdAsync(), "read:api_keys")) { [claim] = forged });

        var response = await SendAsync($"Bearer {token}");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var said = response.Headers.WwwAuthenticate + await response.Content.ReadAsStringAsync();
        said.Should().Contain("invalid_token").And.NotContainAny(forged, "diversitysync-api", "localhost");
    }

    [Fact] // what a signature does not prove about the payload
    public async Task J07_a_validly_signed_token_with_a_claim_twice_a_string_date_a_long_life_or_a_non_string_scope_is_refused()
    {
        var keyId = await KeyIdAsync();
        var claims = forge.Claims(keyId, "read:api_keys");
        var iat = (long)claims["iat"]!;
        var json = System.Text.Json.JsonSerializer.Serialize(claims);

        await ShouldBeInvalidTokenAsync(forge.SignRaw(forge.Header(),
            json.TrimEnd('}') + ",\"scope\":\"write:api_keys\"}"), "scope twice");
        await ShouldBeInvalidTokenAsync(forge.Sign(forge.Header(), new(claims) { ["exp"] = (iat + 900).ToString() }),
            "exp as a string");
        await ShouldBeInvalidTokenAsync(forge.Sign(forge.Header(), new(claims) { ["exp"] = iat + 7 * 24 * 3600 }),
            "a week-long token");
        await ShouldBeInvalidTokenAsync(forge.Sign(forge.Header(),
            new(claims) { ["scope"] = new[] { "read:api_keys" } }), "scope as an array");
        var withoutIat = new Dictionary<string, object?>(claims);
        withoutIat.Remove("iat");
        await ShouldBeInvalidTokenAsync(forge.Sign(forge.Header(), withoutIat), "no iat");
    }

    [Fact]
    public async Task J09_a_v1_request_without_a_token_is_401_even_with_a_content_type_or_method_no_route_takes()
    {
        var wrongType = await client.PostAsync("/v1/api-keys",
            new StringContent("name=x", System.Text.Encoding.UTF8, "text/plain"));
        var wrongMethod = await client.DeleteAsync("/v1/api-keys");

        wrongType.StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "authenticate first: 415 would tell a stranger what the route accepts");
        wrongMethod.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrongType.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Fact] // row 1
    public async Task J09_no_token_is_401_with_a_bare_bearer_challenge()
    {
        var response = await SendAsync(null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory] // row 2
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Token abc")]
    public async Task A_wrong_or_empty_scheme_is_401_with_a_bare_challenge(string authorization)
    {
        var response = await SendAsync(authorization);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Fact] // row 2
    public async Task A_raw_api_key_is_never_accepted_on_v1()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());

        await ShouldBeInvalidTokenAsync(key.Plaintext);
    }

    [Fact] // row 3
    public async Task J07_malformed_tokens_are_invalid_token_never_5xx()
    {
        var keyId = await KeyIdAsync();
        var valid = forge.Sign(forge.Header(), forge.Claims(keyId, "read:api_keys"));
        var parts = valid.Split('.');
        string[] malformed =
        [
            "abc", "a.b", "a.b.c.d", "...", "a$.b.c", valid + ".x",
            $"{parts[0]}==.{parts[1]}.{parts[2]}",
            $"{JwtForge.Segment(Array.Empty<int>())}.{parts[1]}.{parts[2]}",
            $"{Base64UrlEncoder.Encode("null")}.{parts[1]}.{parts[2]}",
            $"{parts[0]}.{parts[1]} .{parts[2]}",
            forge.Sign(forge.Header(),
                new(forge.Claims(keyId, "read:api_keys")) { ["padding"] = new string('x', 9 * 1024) }),
        ];
        foreach (var token in malformed)
        {
            await ShouldBeInvalidTokenAsync(token, token.Length > 80 ? token[..80] : token);
        }
    }

    [Fact] // row 4
    public async Task J01_unsigned_or_unknown_algorithm_tokens_are_rejected()
    {
        var claims = forge.Claims(await KeyIdAsync(), "read:api_keys");
        var valid = forge.Sign(forge.Header(), claims);

        await ShouldBeInvalidTokenAsync(JwtForge.Encode(new { alg = "none", typ = "at+jwt" }, claims, null),
            "alg none");
        await ShouldBeInvalidTokenAsync(forge.Sign(new() { ["typ"] = "at+jwt", ["kid"] = forge.Header()["kid"] },
            claims), "no alg");
        await ShouldBeInvalidTokenAsync(forge.Sign(new(forge.Header()) { ["alg"] = "RS999" }, claims), "unknown alg");
        await ShouldBeInvalidTokenAsync(valid[..(valid.LastIndexOf('.') + 1)], "empty signature");
    }

    [Fact] // row 5
    public async Task J02_hs256_signed_with_the_servers_public_key_is_rejected()
    {
        var claims = forge.Claims(await KeyIdAsync(), "read:api_keys");
        foreach (var (form, secret) in forge.PublicKeyAsSecrets())
        {
            var token = JwtForge.Encode(new Dictionary<string, object?>(forge.Header()) { ["alg"] = "HS256" }, claims,
                data => HMACSHA256.HashData(secret, data));
            await ShouldBeInvalidTokenAsync(token, form);
        }
    }

    [Fact] // row 6
    public async Task J03_key_material_named_in_the_header_is_never_trusted_or_fetched()
    {
        using var attacker = RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(attacker.ExportParameters(false)) { KeyId = "attacker" });
        using var stub = new TcpListener(IPAddress.Loopback, 0);
        stub.Start();
        var stubUrl = $"http://127.0.0.1:{((IPEndPoint)stub.LocalEndpoint).Port}/jwks.json";
        var certificate = new CertificateRequest("CN=attacker", attacker, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var claims = forge.Claims(await KeyIdAsync(), "read:api_keys");
        byte[] SignedByAttacker(byte[] data) => attacker.SignData(data, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);

        var hostile = new Dictionary<string, object?>[]
        {
            new() { ["alg"] = "RS256", ["typ"] = "at+jwt", ["kid"] = "attacker",
                ["jwk"] = new { kty = "RSA", n = jwk.N, e = jwk.E, kid = "attacker" } },
            new() { ["alg"] = "RS256", ["typ"] = "at+jwt", ["kid"] = "attacker", ["jku"] = stubUrl },
            new() { ["alg"] = "RS256", ["typ"] = "at+jwt", ["kid"] = "attacker", ["x5u"] = stubUrl },
            new() { ["alg"] = "RS256", ["typ"] = "at+jwt", ["kid"] = "attacker",
                ["x5c"] = new[] { Convert.ToBase64String(certificate.RawData) } },
        };
        foreach (var header in hostile)
        {
            await ShouldBeInvalidTokenAsync(JwtForge.Encode(header, claims, SignedByAttacker),
                string.Join(",", header.Keys));
        }
        foreach (var kid in new[] { "../../dev/null", "' OR 1=1--", new string('k', 10 * 1024) })
        {
            await ShouldBeInvalidTokenAsync(forge.Sign(new(forge.Header()) { ["kid"] = kid }, claims),
                kid[..Math.Min(20, kid.Length)]);
        }

        stub.Pending().Should().BeFalse("no request may be made to a URL named in a token header");
        factory.Commands.Count("OR 1=1").Should().Be(0);
    }

    [Fact] // row 7
    public async Task J04_J05_tokens_for_another_context_are_rejected()
    {
        var claims = forge.Claims(await KeyIdAsync(), "read:api_keys");
        Dictionary<string, object?> Without(string name) { var c = new Dictionary<string, object?>(claims); c.Remove(name); return c; }

        await ShouldBeInvalidTokenAsync(forge.Sign(new(forge.Header()) { ["typ"] = "JWT" }, claims), "typ JWT");
        await ShouldBeInvalidTokenAsync(forge.Sign(new(forge.Header()) { ["typ"] = "dpop+jwt" }, claims),
            "typ dpop+jwt");
        var noTyp = forge.Header();
        noTyp.Remove("typ");
        await ShouldBeInvalidTokenAsync(forge.Sign(noTyp, claims), "no typ");
        await ShouldBeInvalidTokenAsync(forge.Sign(forge.Header(), new(claims) { ["iss"] = "https://evil.example" }),
            "wrong iss");
        await ShouldBeInvalidTokenAsync(forge.Sign(forge.Header(), Without("aud")), "no aud");
        await ShouldBeInvalidTokenAsync(forge.Sign(forge.Header(), new(claims) { ["aud"] = "payroll-api" }),
            "other aud");
        await ShouldBeInvalidTokenAsync(forge.Sign(forge.Header(), new(claims) { ["aud"] = Array.Empty<string>() }),
            "empty aud");
    }

    [Fact] // row 8
    public async Task J06_lifetime_is_enforced_with_at_most_30_seconds_of_skew()
    {
        var keyId = await KeyIdAsync();
        var now = factory.Time.GetUtcNow().ToUnixTimeSeconds();
        string Token(long? exp, long? nbf = null)
        {
            var claims = forge.Claims(keyId, "read:api_keys");
            if (exp is null) claims.Remove("exp"); else claims["exp"] = exp;
            claims["nbf"] = nbf ?? now - 800;
            claims["iat"] = now - 800; // within the longest lifetime we issue (900 s) plus the skew
            return forge.Sign(forge.Header(), claims);
        }

        (await SendAsync($"Bearer {Token(now + 1)}")).StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeInvalidTokenAsync(Token(now - 31), "expired beyond the 30 s skew");
        await ShouldBeInvalidTokenAsync(Token(now - 299),
            "4m59s ago: would pass with the library's 300 s default skew");
        await ShouldBeInvalidTokenAsync(Token(now + 900, nbf: now + 60), "not valid for another minute");
        await ShouldBeInvalidTokenAsync(Token(null), "no exp");
    }

    [Fact] // row 9
    public async Task J07_tampered_tokens_are_rejected()
    {
        var keyId = await KeyIdAsync();
        var otherKeyId = await KeyIdAsync();
        var claims = forge.Claims(keyId, "read:api_keys");
        var valid = forge.Sign(forge.Header(), claims);
        var signature = valid[(valid.LastIndexOf('.') + 1)..];
        string Resigned(Dictionary<string, object?> changed) =>
            $"{JwtForge.Segment(forge.Header())}.{JwtForge.Segment(changed)}.{signature}";
        var flipped = Base64UrlEncoder.DecodeBytes(signature);
        flipped[10] ^= 0x01;

        await ShouldBeInvalidTokenAsync(Resigned(new(claims) { ["scope"] = "read:api_keys write:api_keys" }),
            "scope added");
        await ShouldBeInvalidTokenAsync(Resigned(new(claims) { ["exp"] = (long)claims["exp"]! + 3600 }),
            "exp extended");
        await ShouldBeInvalidTokenAsync(Resigned(new(claims) { ["sub"] = otherKeyId, ["client_id"] = otherKeyId }),
            "sub swapped");
        await ShouldBeInvalidTokenAsync($"{valid[..valid.LastIndexOf('.')]}.{Base64UrlEncoder.Encode(flipped)}",
            "signature bit flipped");
        await ShouldBeInvalidTokenAsync(valid[..^10], "signature truncated");
    }

    [Fact] // row 9
    public async Task J08_a_validly_signed_token_dies_with_its_key_or_its_creator()
    {
        var creator = await factory.StaffAsync();
        var revoked = await factory.KeyAsync(creator);
        var orphaned = await factory.KeyAsync(await factory.StaffAsync(StaffRoleNames.Admin));
        var revokedToken = await client.AccessTokenAsync(revoked.Plaintext);
        var orphanedToken = await client.AccessTokenAsync(orphaned.Plaintext);

        await factory.RevokeAsync(revoked.Key.KeyId);
        var creatorOfOrphaned = await factory.WithScopeAsync(s => s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffMember>>().FindByIdAsync(orphaned.Key.CreatedBy.Id));
        await factory.ChangeStaffAsync(creatorOfOrphaned!, StaffStatus.Archived);

        await ShouldBeInvalidTokenAsync(revokedToken, "revoked key");
        await ShouldBeInvalidTokenAsync(orphanedToken, "archived creator");
    }

    [Fact] // row 10
    public async Task J09_a_token_without_the_scope_gets_403_naming_the_scope()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(), "read:users");
        var token = await client.AccessTokenAsync(key.Plaintext);

        var response = await SendAsync($"Bearer {token}", "/v1/api-keys");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer error=\"insufficient_scope\", " +
            "scope=\"read:api_keys\"");
        var problem = await response.JsonAsync();
        problem.GetProperty("detail").GetString().Should().Contain("read:api_keys");
        (await factory.AuditAsync("authorization.denied")).Should().ContainSingle(e => e.TargetId == key.Key.KeyId
            && e.ActorId == key.Key.KeyId)
            .Which.Detail.Should().Contain("read:api_keys").And.Contain("/v1/api-keys");
    }

    [Fact] // row 10
    public async Task J14_a_token_in_the_query_string_is_ignored()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var token = await client.AccessTokenAsync(key.Plaintext);

        var response = await SendAsync(null, $"/v1/me?access_token={token}");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }
}

using System.Security.Cryptography;

namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>
/// POST /oauth/introspect (RFC 7662): the judgement /v1 makes, for callers holding read:tokens (S-01).
/// </summary>
public class IntrospectionTests(QuietPortalFactory factory) : IClassFixture<QuietPortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private async Task<NewApiKey> CallerAsync(string scopes = "read:tokens") =>
        await factory.KeyAsync(await factory.StaffAsync(), scopes);

    private Task<HttpResponseMessage> IntrospectAsync(NewApiKey caller, string token, params (string, string)[] more) =>
        IntrospectAsync(caller.Key.KeyId, caller.Plaintext, token, more);

    private Task<HttpResponseMessage> IntrospectAsync(string keyId, string secret, string token,
        params (string, string)[] more) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/oauth/introspect")
        {
            Headers = { Authorization = new("Basic", TokenRequests.Basic(keyId, secret)) },
            Content = new FormUrlEncodedContent([new("token", token),
                .. more.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2))]),
        });

    [Fact]
    public async Task S01_an_active_token_is_described_as_v1_sees_it_now()
    {
        var staff = await factory.StaffAsync();
        var key = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(
            new NewApiKeyRequest("Roster sync", null, "test", ["read:users", "read:api_keys"], null,
                new Dictionary<string, IReadOnlyList<string>> { ["staff"] = ["name", "email"] }), Seed.ActorOf(staff)));
        var token = await client.AccessTokenAsync(key.Value!.Plaintext);
        var claims = TokenRequests.Payload(token);

        var response = await IntrospectAsync(await CallerAsync(), token, ("token_type_hint", "access_token"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var answer = await response.JsonAsync();
        answer.GetProperty("active").GetBoolean().Should().BeTrue();
        answer.GetProperty("scope").GetString().Should().Be("read:api_keys read:users");
        answer.GetProperty("client_id").GetString().Should().Be(key.Value.Key.KeyId);
        answer.GetProperty("sub").GetString().Should().Be(key.Value.Key.KeyId);
        answer.GetProperty("token_type").GetString().Should().Be("Bearer");
        answer.GetProperty("env").GetString().Should().Be("test");
        answer.GetProperty("fields").GetProperty("staff").EnumerateArray().Select(f => f.GetString()).Should()
            .Equal("name", "email");
        foreach (var claim in new[] { "exp", "iat", "nbf" })
        {
            answer.GetProperty(claim).GetInt64().Should().Be(claims.GetProperty(claim).GetInt64(), claim);
        }
        foreach (var claim in new[] { "iss", "aud", "jti" })
        {
            answer.GetProperty(claim).GetString().Should().Be(claims.GetProperty(claim).GetString(), claim);
        }
    }

    [Fact]
    public async Task S01_the_scope_is_what_the_token_may_still_use_when_its_creator_lost_a_permission()
    {
        var staff = await factory.StaffAsync(StaffRoleNames.Owner);
        var key = await factory.KeyAsync(staff, "read:api_keys write:roles");
        var token = await client.AccessTokenAsync(key.Plaintext);
        await factory.ChangeStaffAsync(staff, role: StaffRoleNames.Admin); // an Admin does not hold write:roles

        var answer = await (await IntrospectAsync(await CallerAsync(), token)).JsonAsync();

        answer.GetProperty("scope").GetString().Should().Be("read:api_keys");
    }

    public static TheoryData<string> Refused() =>
        ["expired", "bad signature", "key revoked", "creator blocked", "creator archived", "token revoked",
            "foreign issuer", "not ours", "not a jwt", "an api key"];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task S01_every_token_v1_would_refuse_is_just_inactive(string why)
    {
        var staff = await factory.StaffAsync();
        var key = await factory.KeyAsync(staff, "read:api_keys");
        var token = await client.AccessTokenAsync(key.Plaintext);
        var forge = new JwtForge(factory);
        var caller = await CallerAsync();
        switch (why)
        {
            case "expired":
                await factory.AdvanceAsync(TimeSpan.FromMinutes(16));
                caller = await CallerAsync();
                break;
            case "bad signature":
                token = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
                break;
            case "key revoked":
                await factory.RevokeAsync(key.Key.KeyId);
                break;
            case "creator blocked":
                await factory.ChangeStaffAsync(staff, StaffStatus.Blocked);
                break;
            case "creator archived":
                await factory.ChangeStaffAsync(staff, StaffStatus.Archived);
                break;
            case "token revoked":
                (await RevocationTests.RevokeAsync(client, key, token)).StatusCode.Should().Be(HttpStatusCode.OK);
                break;
            case "foreign issuer":
                var claims = forge.Claims(key.Key.KeyId, "read:api_keys");
                claims["iss"] = "https://login.example.com";
                token = forge.Sign(forge.Header(), claims);
                break;
            case "not ours":
                using (var other = RSA.Create(2048))
                {
                    var header = forge.Header();
                    token = JwtForge.Encode(header, forge.Claims(key.Key.KeyId, "read:api_keys"),
                        data => other.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
                }
                break;
            case "not a jwt":
                token = "not-a-token";
                break;
            default:
                token = key.Plaintext;
                break;
        }

        var response = await IntrospectAsync(caller, token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"active":false}""", why);
    }

    [Fact]
    public async Task S01_a_caller_without_read_tokens_gets_403_and_a_wrong_key_gets_invalid_client()
    {
        var token = await client.AccessTokenAsync((await CallerAsync("read:api_keys")).Plaintext);
        var withoutScope = await CallerAsync("read:api_keys");

        var forbidden = await IntrospectAsync(withoutScope, token);
        var wrong = await IntrospectAsync(withoutScope.Key.KeyId,
            withoutScope.Plaintext[..^9] + "x" + withoutScope.Plaintext[^8..], token);

        forbidden.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await forbidden.JsonAsync()).GetProperty("error").GetString().Should().Be("insufficient_scope");
        (await forbidden.Content.ReadAsStringAsync()).Should().NotContain("active");
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrong.JsonAsync()).GetProperty("error").GetString().Should().Be("invalid_client");
        (await factory.AuditAsync(AuditActions.AuthorizationDenied)).Should()
            .Contain(e => e.ActorId == withoutScope.Key.KeyId && e.Detail!.Contains("read:tokens"));
    }

    [Fact]
    public async Task S01_introspection_reads_no_key_state_from_the_database_and_is_audited_once_a_minute()
    {
        var caller = await CallerAsync();
        var token = await client.AccessTokenAsync((await CallerAsync("read:api_keys")).Plaintext);
        await IntrospectAsync(caller, token); // the first call may load nothing more either; it proves the caller works
        var before = factory.Commands.KeyStateCount;

        for (var i = 0; i < 5; i++) (await IntrospectAsync(caller, token)).StatusCode.Should().Be(HttpStatusCode.OK);

        factory.Commands.KeyStateCount.Should().Be(before, "introspection is answered from memory");
        (await factory.AuditAsync(AuditActions.TokenIntrospected)).Where(e => e.ActorId == caller.Key.KeyId).Should()
            .HaveCount(1);
    }
}

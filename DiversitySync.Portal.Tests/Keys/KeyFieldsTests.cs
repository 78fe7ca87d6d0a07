using System.Security.Cryptography;
using System.Text;

namespace DiversitySync.Portal.Tests.Keys;

/// <summary>
/// Field limits: who may set them (K-08), how they are stored and carried in tokens, and a key's Access label.
/// </summary>
public class KeyFieldsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private static Dictionary<string, IReadOnlyList<string>> Staff(params string[] fields) =>
        new() { ["staff"] = fields };

    private Task<Outcome<NewApiKey>> CreateAsync(Actor actor, NewApiKeyRequest request, string? ownerId = null) =>
        factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(request, actor, ownerId));

    private Task<int> KeyCountAsync() =>
        factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.CountAsync());

    [Fact]
    public async Task K08_a_creator_who_cannot_read_users_cannot_limit_staff_fields_and_nothing_is_written()
    {
        await factory.RoleAsync("Role keeper", "read:api_keys write:api_keys write:roles");
        var keeper = await factory.StaffAsync("Role keeper");
        var before = await KeyCountAsync();

        // What a forged drawer post would ask for: the Users row is shown to them, its Fields control disabled.
        var result = await CreateAsync(Seed.ActorOf(keeper),
            new("Forged", null, "live", ["write:roles"], null, Staff("name")));

        result.Value.Should().BeNull();
        result.Refusal!.Errors["fields"].Should().ContainSingle().Which.Should().Be("You cannot choose fields of " +
            "Users: you do not hold read:users.");
        (await KeyCountAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("nothing", "name", "nothing has no fields to limit a key to.")]
    [InlineData("staff", "salary", "Users has no field salary.")]
    [InlineData("staff", "", "Choose at least one field of Users, or leave it at all fields.")]
    [InlineData("audit", "action", "The key holds no scope on Audit log, so there are no fields of it to limit.")]
    public async Task Field_limits_name_real_fields_of_resources_the_key_uses(string resource, string field,
        string message)
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var fields = new Dictionary<string, IReadOnlyList<string>> { [resource] = field.Length == 0 ? [] : [field] };

        var result = await CreateAsync(Seed.ActorOf(owner), new("Limited", null, "live", ["read:users"], null, fields));

        result.Refusal!.Errors["fields"].Should().Contain(message);
    }

    [Fact]
    public async Task K08_a_limited_key_can_make_keys_that_see_no_more_than_it_does()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var parent = await factory.KeyAsync(owner, "read:users write:api_keys", fields: Staff("name", "email"));
        var token = await client.AccessTokenAsync(parent.Plaintext);
        var before = await KeyCountAsync();

        async Task<HttpResponseMessage> CreateAsync(string fields) => await client.PostJsonAsync("/v1/api-keys", token,
            $$"""{"name":"Child","environment":"live","scopes":["read:users"]{{fields}}}""");

        (await CreateAsync("")).StatusCode.Should().Be(HttpStatusCode.BadRequest, "no limit would be all fields");
        (await CreateAsync(""","fields":{"staff":["name","email","status"]}""")).StatusCode.Should().Be(HttpStatusCode.BadRequest, "status is hidden from the parent");
        (await KeyCountAsync()).Should().Be(before);

        var created = await CreateAsync(""","fields":{"staff":["email"]}""");

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var child = (await created.JsonAsync()).GetProperty("apiKey").GetProperty("keyId").GetString();
        var read = await (await client.GetAsync($"/v1/api-keys/{child}",
            await client.AccessTokenAsync((await factory.KeyAsync(owner, "read:api_keys")).Plaintext))).JsonAsync();
        read.GetProperty("fields").GetProperty("staff").EnumerateArray().Select(f => f.GetString()).Should()
            .Equal("email");
    }

    [Fact]
    public async Task The_fields_claim_is_there_exactly_when_the_key_is_limited_and_an_independent_verifier_reads_it()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var limited = await factory.KeyAsync(owner, "read:users read:audit", fields: Staff("name", "email"));
        var open = await factory.KeyAsync(owner, "read:users read:audit");

        var claims = await VerifiedPayloadAsync(await client.AccessTokenAsync(limited.Plaintext));
        var unlimited = await VerifiedPayloadAsync(await client.AccessTokenAsync(open.Plaintext));

        claims.GetProperty("fields").GetRawText().Should().Be("""{"staff":["name","email"]}""");
        unlimited.TryGetProperty("fields", out _).Should().BeFalse();
    }

    [Fact]
    public async Task The_fields_claim_survives_a_narrower_scope_and_no_request_parameter_widens_it()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var key = await factory.KeyAsync(owner, "read:users read:audit", fields: Staff("name"));

        var narrowed = await VerifiedPayloadAsync(await client.AccessTokenAsync(key.Plaintext, "read:users"));
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Headers = { Authorization = new("Bearer", key.Plaintext) },
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("fields", """{"staff":["name","email"]}"""), new("fields[staff]", "email")]),
        };
        var widened = await VerifiedPayloadAsync((await (await client.SendAsync(request)).JsonAsync())
            .GetProperty("access_token").GetString()!);

        narrowed.GetProperty("scope").GetString().Should().Be("read:users");
        narrowed.GetProperty("fields").GetRawText().Should().Be("""{"staff":["name"]}""");
        widened.GetProperty("fields").GetRawText().Should().Be("""{"staff":["name"]}""");
    }

    [Fact]
    public async Task Access_says_read_only_admin_or_custom_and_filters_the_list()
    {
        var reader = await factory.StaffAsync(StaffRole.ReadOnly);
        var held = await factory.WithScopeAsync(async s => (await s.GetRequiredService<StaffPermissions>().GrantsOfAsync(s.GetRequiredService<PortalDbContext>(), reader.Id)).Permissions);
        var readOnly = await factory.KeyAsync(reader, "read:api_keys read:audit");
        var admin = await factory.KeyAsync(reader, string.Join(' ', held));
        var custom = await factory.KeyAsync(reader, "download:audit");

        readOnly.Key.AccessLabel.Should().Be("Read-only");
        admin.Key.AccessLabel.Should().Be("Admin", "it holds every scope its creator holds, download: ones included");
        custom.Key.AccessLabel.Should().Be("Custom (1 scope)");
        var token = await client.AccessTokenAsync(readOnly.Plaintext);
        var listed = await (await client.GetAsync("/v1/api-keys?access=admin&pageSize=100", token)).JsonAsync();
        listed.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("keyId").GetString()).Should()
            .Contain(admin.Key.KeyId)
            .And.NotContain([readOnly.Key.KeyId, custom.Key.KeyId]);
    }

    /// <summary>
    /// A verifier that shares nothing with the app's token code: the public key rebuilt from the JWKS's n and e,
    /// the RS256 signature checked with RSA PKCS#1 v1.5 over the first two segments, the payload read as plain JSON.
    /// </summary>
    private async Task<JsonElement> VerifiedPayloadAsync(string jwt)
    {
        var parts = jwt.Split('.');
        var header = JsonDocument.Parse(FromBase64Url(parts[0])).RootElement;
        var jwks = await (await client.GetAsync("/.well-known/jwks.json")).JsonAsync();
        var jwk = jwks.GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("kid").GetString() == header.GetProperty("kid").GetString());
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = FromBase64Url(jwk.GetProperty("n").GetString()!),
            Exponent = FromBase64Url(jwk.GetProperty("e").GetString()!),
        });

        header.GetProperty("alg").GetString().Should().Be("RS256");
        rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .Should().BeTrue("the signature verifies against the published key");
        return JsonDocument.Parse(FromBase64Url(parts[1])).RootElement;
    }

    private static byte[] FromBase64Url(string value) =>
        Convert.FromBase64String(value.Replace('-', '+').Replace('_',
            '/').PadRight(value.Length + (4 - value.Length % 4) % 4, '='));
}

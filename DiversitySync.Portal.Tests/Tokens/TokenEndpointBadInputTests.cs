using System.Text;

namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>SECURITY.md, "Top-10 bad inputs" for POST /oauth/token, row by row.</summary>
public class TokenEndpointBadInputTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private static HttpRequestMessage Post(HttpContent? content = null, string? authorization = null,
        string path = "/oauth/token")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static StringContent RawForm(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");

    private async Task<(HttpStatusCode Status, string Error,
        HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        var body = await response.JsonAsync();
        var error = body.GetProperty("error").GetString()!;
        response.Headers.CacheControl!.NoStore.Should().BeTrue("T-03: every token response is no-store");
        body.GetProperty("error_description").GetString().Should()
            .MatchRegex(@"^[\x20-\x21\x23-\x5B\x5D-\x7E]+$", "RFC 6749 §5.2 limits error_description to these characters");
        return (response.StatusCode, error, response);
    }

    [Theory] // row 1
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    public async Task T02_other_methods_get_405_with_allow_post(string method)
    {
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/oauth/token"));

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().Equal("POST");
    }

    public static TheoryData<string, HttpContent> WrongBodies() => new()
    {
        { "multipart", new MultipartFormDataContent { { new StringContent("client_credentials"), "grant_type" } } },
        { "text/plain", new StringContent("grant_type=client_credentials", Encoding.UTF8, "text/plain") },
        { "no content type", new ByteArrayContent("grant_type=client_credentials"u8.ToArray()) },
        { "json array", new StringContent("[\"ds_live_x\"]", Encoding.UTF8, "application/json") },
        { "broken json", new StringContent("{\"key\": ", Encoding.UTF8, "application/json") },
        { "json number key", new StringContent("{\"key\": 42}", Encoding.UTF8, "application/json") },
    };

    [Theory] // row 2
    [MemberData(nameof(WrongBodies))]
    public async Task T02_a_body_that_is_neither_a_form_nor_a_json_object_is_invalid_request(string kind,
        HttpContent content)
    {
        var (status, error, _) = await SendAsync(Post(content));

        status.Should().Be(HttpStatusCode.BadRequest, kind);
        error.Should().Be("invalid_request");
    }

    [Fact] // row 3
    public async Task T01_the_standard_form_without_grant_type_is_invalid_request()
    {
        var (status, error, _) = await SendAsync(Post(Form(("client_id", "0123456789abcdef"), ("client_secret", "x"))));

        status.Should().Be(HttpStatusCode.BadRequest);
        error.Should().Be("invalid_request");
    }

    [Theory] // row 3
    [InlineData("password")]
    [InlineData("refresh_token")]
    [InlineData("authorization_code")]
    [InlineData("CLIENT_CREDENTIALS")]
    public async Task T01_other_grant_types_are_unsupported(string grantType)
    {
        var (status, error, _) = await SendAsync(Post(Form(("grant_type", grantType), ("client_id", "0123456789abcdef"),
            ("client_secret", "x"))));

        status.Should().Be(HttpStatusCode.BadRequest);
        error.Should().Be("unsupported_grant_type");
    }

    public static TheoryData<string> MalformedKeys()
    {
        var valid = ApiKeyFormat.Create(ApiKeyEnvironment.Live, "2f1ac3d0b1e4a5f6");
        return
        [
            valid.Replace("ds_live_", "sk_live_"),
            valid.Replace("ds_live_", "ds_prod_"),
            valid[..^1],
            valid + "ab",
            " " + valid + " ",
            valid.ToUpperInvariant(),
            valid[..30] + "а" + valid[31..],
            valid.Replace('_', '-'),
            "ds_live_",
            new string('a', 5000),
        ];
    }

    [Theory] // row 4
    [MemberData(nameof(MalformedKeys))]
    public async Task T07_a_malformed_key_is_refused_like_an_unknown_one_without_a_database_lookup(string key)
    {
        await factory.Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);
        var unknown = await client.SendAsync(Post(authorization: "Bearer " + ApiKeyFormat.Create(ApiKeyEnvironment.Live,
            ApiKeyFormat.NewKeyId())));
        var lookupsBefore = factory.Commands.Count("ApiKeys");

        var response = await client.SendAsync(Post(authorization: "Bearer " + key));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Be(await unknown.Content.ReadAsStringAsync());
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer realm=\"DiversitySync\"");
        factory.Commands.Count("ApiKeys").Should().Be(lookupsBefore);
    }

    [Theory] // row 4
    [InlineData("Basic !!!")]
    [InlineData("Basic ")]
    [InlineData("Basic bm9jb2xvbg==")] // "nocolon"
    [InlineData("Basic OmRzX2xpdmVf")] // ":ds_live_" (empty client_id)
    public async Task A_malformed_basic_header_is_invalid_client_with_a_basic_challenge(string authorization)
    {
        var (status, error, response) = await SendAsync(Post(Form(("grant_type", "client_credentials")),
            authorization));

        status.Should().Be(HttpStatusCode.Unauthorized);
        error.Should().Be("invalid_client");
        response.Headers.WwwAuthenticate.ToString().Should().Be("Basic realm=\"DiversitySync\"");
    }

    [Fact] // rows 4 and 5
    public async Task K05_unknown_wrong_revoked_expired_and_archived_creator_get_byte_identical_invalid_client()
    {
        var creator = await factory.StaffAsync();
        var archivedCreator = await factory.StaffAsync();
        var revoked = await factory.KeyAsync(creator);
        var expiring = await factory.KeyAsync(creator, expiresAt: factory.Time.GetUtcNow().UtcDateTime.AddHours(1));
        var orphaned = await factory.KeyAsync(archivedCreator);
        await factory.RevokeAsync(revoked.Key.KeyId);
        await factory.ChangeStaffAsync(archivedCreator, StaffStatus.Archived);
        await factory.AdvanceAsync(TimeSpan.FromHours(2));
        var cases = new Dictionary<string, (string Key, string Reason)>
        {
            ["unknown"] = (ApiKeyFormat.Create(ApiKeyEnvironment.Live, ApiKeyFormat.NewKeyId()), "unknown key id"),
            ["wrong secret"] = (ApiKeyFormat.Create(ApiKeyEnvironment.Live, revoked.Key.KeyId), "wrong secret"),
            ["revoked"] = (revoked.Plaintext, "key revoked"),
            ["expired"] = (expiring.Plaintext, "key expired"),
            ["creator archived"] = (orphaned.Plaintext, "creator archived"),
        };

        foreach (var scheme in new[] { "Bearer", "Basic" })
        {
            var answers = new List<(HttpStatusCode, string, string)>();
            foreach (var (name, (key, _)) in cases)
            {
                var request = scheme == "Bearer"
                    ? Post(authorization: $"Bearer {key}")
                    : Post(Form(("grant_type", "client_credentials")), $"Basic {TokenRequests.Basic(key[8..24], key)}");
                var response = await client.SendAsync(request);
                answers.Add((response.StatusCode, response.Headers.WwwAuthenticate.ToString(),
                    await response.Content.ReadAsStringAsync()));
            }
            answers.Should().AllBeEquivalentTo((HttpStatusCode.Unauthorized, $"{scheme} realm=\"DiversitySync\"",
                """{"error":"invalid_client","error_description":"Client authentication failed."}"""));
        }

        var refused = await factory.AuditAsync("token.refused");
        foreach (var (name, (key, reason)) in cases)
        {
            var keyId = key[8..24];
            refused.Should().Contain(e => e.TargetId == keyId && e.Detail == reason, name);
        }
    }

    [Theory] // row 6
    [InlineData("client_secret")]
    [InlineData("api_key")]
    [InlineData("key")]
    public async Task T04_two_authentication_methods_are_invalid_request(string bodyField)
    {
        var key = ApiKeyFormat.Create(ApiKeyEnvironment.Live, ApiKeyFormat.NewKeyId());
        var basic = $"Basic {TokenRequests.Basic(key[8..24], key)}";

        var (status, error, _) = await SendAsync(Post(Form(("grant_type", "client_credentials"), (bodyField, key)),
            basic));

        status.Should().Be(HttpStatusCode.BadRequest);
        error.Should().Be("invalid_request");
    }

    [Fact] // row 6
    public async Task A_bearer_header_and_a_json_key_together_are_invalid_request()
    {
        var key = ApiKeyFormat.Create(ApiKeyEnvironment.Live, ApiKeyFormat.NewKeyId());
        var json = new StringContent($$"""{"key":"{{key}}"}""", Encoding.UTF8, "application/json");

        var (status, error, _) = await SendAsync(Post(json, $"Bearer {key}"));

        status.Should().Be(HttpStatusCode.BadRequest);
        error.Should().Be("invalid_request");
    }

    [Theory] // row 7
    [InlineData("client_secret")]
    [InlineData("api_key")]
    public async Task T04_credentials_in_the_query_string_are_rejected_and_never_logged(string parameter)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());

        var (status, error, _) = await SendAsync(Post(
            Form(("grant_type", "client_credentials"), ("client_id", key.Key.KeyId)),
            path: $"/oauth/token?{parameter}={key.Plaintext}"));

        status.Should().Be(HttpStatusCode.BadRequest);
        error.Should().Be("invalid_request");
        factory.Logs.AllText.Should().NotContain(key.Plaintext[25..]);
    }

    [Theory] // row 8
    [InlineData("read:api_keys\u0000")]
    [InlineData("read:api_keys\nread:audit")]
    public async Task T07_control_characters_are_invalid_request(string scope)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());

        var (status, error, _) = await SendAsync(Post(Form(("scope", scope)), $"Bearer {key.Plaintext}"));

        status.Should().Be(HttpStatusCode.BadRequest);
        error.Should().Be("invalid_request");
    }

    [Fact] // row 8
    public async Task T07_an_overlong_scope_is_invalid_request()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());

        var (status, error, _) = await SendAsync(Post(Form(("scope",
            string.Join(' ', Enumerable.Repeat("read:api_keys", 30)))), $"Bearer {key.Plaintext}"));

        status.Should().Be(HttpStatusCode.BadRequest);
        error.Should().Be("invalid_request");
    }

    [Theory] // row 9
    [InlineData("grant_type=client_credentials&grant_type=client_credentials")]
    [InlineData("grant_type=client_credentials&scope=read:api_keys&scope=read:api_keys")]
    public async Task T04_repeated_parameters_are_invalid_request(string body)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());

        var (status, error, _) = await SendAsync(Post(RawForm(body), $"Bearer {key.Plaintext}"));

        status.Should().Be(HttpStatusCode.BadRequest);
        error.Should().Be("invalid_request");
    }

    [Fact] // row 10
    public async Task A_body_over_8_kb_is_413()
    {
        var (status, _, _) = await SendAsync(Post(RawForm("grant_type=client_credentials&pad=" + new string('a',
            9000))));

        status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task No_credentials_at_all_is_invalid_client_that_says_how_to_send_them()
    {
        var response = await client.SendAsync(Post());

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.JsonAsync()).GetProperty("error_description").GetString().Should().Contain("Authorization: " +
            "Bearer").And.NotContainAny("\"", "\\");
    }
}

namespace DiversitySync.Portal.Tests.Api;

/// <summary>/v1/api-keys and /v1/me with real tokens.</summary>
public class ApiKeyEndpointTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private async Task<(string Token, string KeyId)> TokenAsync(string scopes, string role = StaffRoleNames.Owner)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(role), scopes);
        return (await client.AccessTokenAsync(key.Plaintext), key.Key.KeyId);
    }

    private Task<int> KeyCountAsync() =>
        factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.CountAsync());

    [Fact]
    public async Task The_export_streams_every_key_the_filters_match_as_formula_safe_csv()
    {
        var creator = await factory.StaffAsync(name: "Exporting Owner");
        await factory.KeyAsync(creator, environment: "test", name: "=HYPERLINK(\"http://evil\")");
        await factory.KeyAsync(creator, environment: "live", name: "Live export key");
        var (token, _) = await TokenAsync("download:api_keys");

        var response = await client.GetAsync($"/v1/api-keys/export?environment=test&creator={creator.Id}", token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2, "a header and the one test key of this creator");
        lines[1].Should().Contain("\"'=HYPERLINK(\"\"http://evil\"\")\"", "a formula is defused and quoted");
    }

    [Fact]
    public async Task The_export_needs_download_api_keys_not_read()
    {
        var (token, _) = await TokenAsync("read:api_keys");

        var response = await client.GetAsync("/v1/api-keys/export", token);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("scope=\"download:api_keys\"");
    }

    [Fact]
    public async Task Me_describes_the_calling_key()
    {
        var creator = await factory.StaffAsync(name: "Olive Owner");
        var key = await factory.KeyAsync(creator, "read:api_keys read:audit", environment: "test",
            name: "Roster Sync API");
        var token = await client.AccessTokenAsync(key.Plaintext, "read:audit");

        var me = await (await client.GetAsync("/v1/me", token)).JsonAsync();

        me.GetProperty("keyId").GetString().Should().Be(key.Key.KeyId);
        me.GetProperty("name").GetString().Should().Be("Roster Sync API");
        me.GetProperty("environment").GetString().Should().Be("test");
        me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).Should().Equal("read:audit");
        me.GetProperty("createdBy").GetProperty("displayName").GetString().Should().Be("Olive Owner");
    }

    [Fact]
    public async Task Creating_a_key_returns_the_secret_once_uncached_and_it_works_at_the_token_endpoint()
    {
        var (token, callerKeyId) = await TokenAsync("read:api_keys write:api_keys");

        var response = await client.PostJsonAsync("/v1/api-keys", token,
            """{"name":"Invoice Integration API","environment":"test","scopes":["read:api_keys"]}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.CacheControl!.NoStore.Should().BeTrue("K-04");
        var body = await response.JsonAsync();
        var secret = body.GetProperty("key").GetString()!;
        secret.Should().MatchRegex("^ds_test_[0-9a-f]{16}_[0-9a-f]{48}$");
        response.Headers.Location!.ToString().Should().NotContain(secret[25..]);
        body.GetProperty("apiKey").GetProperty("status").GetString().Should().Be("active");
        body.ToString().Should().NotContainAny("secretHash", "SecretHash", "hash");
        (await client.ExchangeAsync(secret)).StatusCode.Should().Be(HttpStatusCode.OK);

        var created = await (await client.GetAsync(response.Headers.Location.ToString(), token)).JsonAsync();
        created.ToString().Should().NotContain(secret[25..], "the secret is shown once, in the create response only");
        var audit = await factory.AuditAsync("key.created");
        audit.Should().Contain(e => e.TargetId == body.GetProperty("apiKey").GetProperty("keyId").GetString()
            && e.ActorId == callerKeyId);
    }

    [Fact]
    public async Task P06_a_key_cannot_mint_a_key_broader_than_itself_and_nothing_is_written()
    {
        // The creator is an Owner and holds read:audit, but the calling key does not.
        var (token, _) = await TokenAsync("read:api_keys write:api_keys");
        var before = await KeyCountAsync();

        var response = await client.PostJsonAsync("/v1/api-keys", token, """{"name":"Broader","environment":"live","scopes":["read:api_keys","read:audit"]}""");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("read:audit");
        (await KeyCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task P06_fields_that_are_not_inputs_cannot_be_assigned()
    {
        var (token, _) = await TokenAsync("read:api_keys write:api_keys");

        var response = await client.PostJsonAsync("/v1/api-keys", token, """
            {"name":"Mass assignment","environment":"live","scopes":["read:api_keys"],
             "createdById":"someone-else","revokedAt":"2020-01-01T00:00:00Z","createdAt":"2020-01-01T00:00:00Z","secretHash":"AAAA"}
            """);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var key = (await response.JsonAsync()).GetProperty("apiKey");
        key.GetProperty("revokedAt").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        key.GetProperty("createdAt").GetDateTime().Should().Be(factory.Time.GetUtcNow().UtcDateTime);
    }

    [Theory]
    [InlineData("{\"name\":", "not valid JSON")]
    [InlineData("[1,2]", "JSON")]
    [InlineData("{\"name\":\"x\",\"environment\":\"prod\",\"scopes\":[\"read:api_keys\"]}", "live or test")]
    [InlineData("{\"name\":\"\",\"environment\":\"live\",\"scopes\":[\"read:api_keys\"]}", "name")]
    [InlineData("{\"name\":\"x\",\"environment\":\"live\",\"scopes\":[]}", "scope")]
    [InlineData("{\"name\":\"x\",\"environment\":\"live\",\"scopes\":[\"read:api_keys\"],\"expiresAt\":\"2001-01-01T00:00:00Z\"}", "future")]
    public async Task Bad_create_requests_get_a_400_that_says_what_is_wrong_and_write_nothing(string json,
        string mentions)
    {
        var (token, _) = await TokenAsync("read:api_keys write:api_keys");
        var before = await KeyCountAsync();

        var response = await client.PostJsonAsync("/v1/api-keys", token, json);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var text = await response.Content.ReadAsStringAsync();
        text.Should().ContainEquivalentOf(mentions.Split(' ')[^1]);
        text.Should().NotContainAny("   at ", "Exception", "System.");
        (await KeyCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task J08_revoking_a_key_fails_its_token_on_the_very_next_request()
    {
        var (adminToken, _) = await TokenAsync("read:api_keys write:api_keys");
        var (victimToken, victimKeyId) = await TokenAsync("read:api_keys");
        (await client.GetAsync("/v1/me", victimToken)).StatusCode.Should().Be(HttpStatusCode.OK);

        var revoke = await client.PostJsonAsync($"/v1/api-keys/{victimKeyId}/revoke", adminToken, """{"reason":"leaked in a log"}""");

        revoke.StatusCode.Should().Be(HttpStatusCode.OK);
        (await revoke.JsonAsync()).GetProperty("status").GetString().Should().Be("revoked");
        var refused = await client.GetAsync("/v1/me", victimToken);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer error=\"invalid_token\"");
        var again = await client.PostJsonAsync($"/v1/api-keys/{victimKeyId}/revoke", adminToken, "{}");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("0000000000000000")]
    [InlineData("not-a-key-id")]
    public async Task Unknown_keys_are_404_problem_details(string keyId)
    {
        var (token, _) = await TokenAsync("read:api_keys write:api_keys");

        (await client.GetAsync($"/v1/api-keys/{keyId}", token)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var revoke = await client.PostJsonAsync($"/v1/api-keys/{keyId}/revoke", token, "{}");
        revoke.StatusCode.Should().Be(HttpStatusCode.NotFound);
        revoke.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [InlineData("environment=prod")]
    [InlineData("status=lost")]
    [InlineData("sort=random")]
    [InlineData("page=0")]
    [InlineData("pageSize=1000")]
    [InlineData("page=abc")]
    public async Task Bad_list_parameters_are_400(string query)
    {
        var (token, _) = await TokenAsync("read:api_keys");

        var response = await client.GetAsync($"/v1/api-keys?{query}", token);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task R02_concurrent_creates_and_revokes_never_fail_with_a_5xx()
    {
        var (token, _) = await TokenAsync("read:api_keys write:api_keys");
        var victims = new List<string>();
        for (var i = 0; i < 20; i++) victims.Add((await factory.KeyAsync(await factory.StaffAsync())).Key.KeyId);

        var creates = Enumerable.Range(0, 30).Select(i =>
            client.PostJsonAsync("/v1/api-keys", token, $$"""{"name":"Parallel {{i}}","environment":"test","scopes":["read:api_keys"]}"""));
        // Every victim is revoked twice at once: exactly one of each pair may win.
        var revokes = victims.Concat(victims).Select(id => client.PostJsonAsync($"/v1/api-keys/{id}/revoke", token,
            "{}"));
        var responses = await Task.WhenAll(creates.Concat(revokes));

        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Created
            || s == HttpStatusCode.OK || s == HttpStatusCode.Conflict);
        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(30);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(victims.Count);
        (await factory.AuditAsync("key.revoked")).Count(e => victims.Contains(e.TargetId!)).Should().Be(victims.Count);
    }

    [Fact]
    public async Task P02_revoke_is_post_only()
    {
        var (token, keyId) = await TokenAsync("read:api_keys write:api_keys");

        var response = await client.GetAsync($"/v1/api-keys/{keyId}/revoke", token);

        response.StatusCode.Should().BeOneOf(HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotFound);
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

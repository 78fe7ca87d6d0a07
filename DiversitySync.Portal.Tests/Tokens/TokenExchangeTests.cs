using System.Net.Http.Headers;
using System.Text;

namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>POST /oauth/token in every accepted form.</summary>
public class TokenExchangeTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private async Task<NewApiKey> KeyAsync(string scopes = "read:api_keys read:users", string environment = "live") =>
        await factory.KeyAsync(await factory.StaffAsync(), scopes, environment);

    public static TheoryData<string> AcceptedForms() => ["bearer header", "json body", "basic", "form fields"];

    [Theory]
    [MemberData(nameof(AcceptedForms))]
    public async Task Each_accepted_form_returns_a_15_minute_bearer_token(string form)
    {
        var key = await KeyAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token");
        var standardForm = new FormUrlEncodedContent([new("grant_type", "client_credentials")]);
        switch (form)
        {
            case "bearer header":
                request.Headers.Authorization = new("Bearer", key.Plaintext);
                break;
            case "json body":
                request.Content = new StringContent($$"""{"key":"{{key.Plaintext}}"}""", Encoding.UTF8, "application/json");
                break;
            case "basic":
                request.Headers.Authorization = new("Basic", TokenRequests.Basic(key.Key.KeyId, key.Plaintext));
                request.Content = standardForm;
                break;
            default:
                request.Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"),
                    new("client_id", key.Key.KeyId), new("client_secret", key.Plaintext)]);
                break;
        }

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        response.Headers.Pragma.ToString().Should().Be("no-cache");
        var body = await response.JsonAsync();
        body.GetProperty("token_type").GetString().Should().Be("Bearer");
        body.GetProperty("expires_in").GetInt32().Should().Be(900);
        body.GetProperty("scope").GetString().Should().Be("read:api_keys read:users");
        body.TryGetProperty("refresh_token", out _).Should().BeFalse("T-01: client credentials get no refresh token");
    }

    [Fact]
    public async Task T06_the_token_is_an_rfc9068_access_token_for_the_key()
    {
        var key = await KeyAsync();

        var token = await client.AccessTokenAsync(key.Plaintext);

        var header = TokenRequests.Header(token);
        header.GetProperty("alg").GetString().Should().Be("RS256");
        header.GetProperty("typ").GetString().Should().Be("at+jwt");
        var jwks = await client.GetStringAsync("/.well-known/jwks.json");
        jwks.Should().Contain(header.GetProperty("kid").GetString());

        var claims = TokenRequests.Payload(token);
        claims.GetProperty("iss").GetString().Should().Be("http://localhost:5080");
        claims.GetProperty("aud").GetString().Should().Be("diversitysync-api");
        claims.GetProperty("sub").GetString().Should().Be(key.Key.KeyId);
        claims.GetProperty("client_id").GetString().Should().Be(key.Key.KeyId);
        claims.GetProperty("scope").GetString().Should().Be("read:api_keys read:users");
        claims.GetProperty("env").GetString().Should().Be("live");
        claims.GetProperty("jti").GetString().Should().NotBeNullOrEmpty();
        var iat = claims.GetProperty("iat").GetInt64();
        iat.Should().Be(factory.Time.GetUtcNow().ToUnixTimeSeconds());
        claims.GetProperty("nbf").GetInt64().Should().Be(iat);
        claims.GetProperty("exp").GetInt64().Should().Be(iat + 900);
    }

    [Fact]
    public async Task A_test_keys_token_carries_env_test()
    {
        var key = await KeyAsync(environment: "test");

        var token = await client.AccessTokenAsync(key.Plaintext);

        TokenRequests.Payload(token).GetProperty("env").GetString().Should().Be("test");
    }

    [Fact]
    public async Task T06_every_token_has_a_unique_jti()
    {
        var key = await KeyAsync();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.AccessTokenAsync(key.Plaintext)));

        tokens.Select(t => TokenRequests.Payload(t).GetProperty("jti").GetString()).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task T05_a_requested_scope_narrows_the_token()
    {
        var key = await KeyAsync();

        var response = await client.ExchangeAsync(key.Plaintext, scope: "read:users");

        (await response.JsonAsync()).GetProperty("scope").GetString().Should().Be("read:users");
    }

    [Theory]
    [InlineData("read:users read:audit")]
    [InlineData("write:api_keys")]
    [InlineData("*")]
    [InlineData("read:nothing")]
    public async Task T05_asking_for_more_than_the_key_holds_is_invalid_scope_never_a_partial_grant(string scope)
    {
        var key = await KeyAsync();

        var response = await client.ExchangeAsync(key.Plaintext, scope);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("error").GetString().Should().Be("invalid_scope");
    }

    [Fact]
    public async Task T05_a_demoted_creators_key_loses_what_the_creator_lost_at_the_next_exchange()
    {
        var creator = await factory.StaffAsync(StaffRoleNames.Owner);
        var key = await factory.KeyAsync(creator, "read:api_keys write:api_keys read:audit");
        (await client.ExchangeAsync(key.Plaintext, "write:api_keys")).StatusCode.Should().Be(HttpStatusCode.OK);

        await factory.ChangeStaffAsync(creator, role: StaffRoleNames.ReadOnly);

        var narrowed = await client.ExchangeAsync(key.Plaintext);
        (await narrowed.JsonAsync()).GetProperty("scope").GetString().Should().Be("read:api_keys read:audit");
        var refused = await client.ExchangeAsync(key.Plaintext, "write:api_keys");
        (await refused.JsonAsync()).GetProperty("error").GetString().Should().Be("invalid_scope");
    }

    [Fact]
    public async Task An_expired_key_gets_invalid_client()
    {
        await using var isolated = factory.Fresh();
        var key = await isolated.KeyAsync(await isolated.StaffAsync(),
            expiresAt: isolated.Time.GetUtcNow().UtcDateTime.AddDays(1));
        var isolatedClient = isolated.CreateClient();
        (await isolatedClient.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK);

        await isolated.AdvanceAsync(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        var response = await isolatedClient.ExchangeAsync(key.Plaintext);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.JsonAsync()).GetProperty("error").GetString().Should().Be("invalid_client");
    }

    [Fact]
    public async Task Last_use_is_visible_at_once_but_written_to_the_database_only_by_the_batched_flush()
    {
        var key = await KeyAsync();
        var request = new HttpRequestMessage(HttpMethod.Post,
            "/oauth/token")
        { Headers = { Authorization = new("Bearer", key.Plaintext) } };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("payroll-sync", "2.1"));
        // the new key is loaded, and used once: its first use reads its name (names are not held for every key)
        await factory.Services.GetRequiredService<Portal.Data.ChangeFeed>().CatchUpAsync(CancellationToken.None);
        (await client.ExchangeAsync(key.Plaintext)).EnsureSuccessStatusCode();
        var writesBefore = factory.Commands.Count("ApiKeys");

        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        factory.Commands.Count("ApiKeys").Should().Be(writesBefore,
            "a token exchange reads keys from memory and writes nothing");
        var seen = (await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().GetAsync(Actor.System,
            key.Key.KeyId))).Value;
        seen!.LastUsedAt.Should().Be(factory.Time.GetUtcNow().UtcDateTime);
        seen.LastUsedUserAgent.Should().Be("payroll-sync/2.1");
        seen.LastUsedFor.Should().Be("token exchange");

        await factory.Services.GetRequiredService<KeyUsageTracker>().FlushAsync();
        var stored = await factory.WithScopeAsync(s =>
            s.GetRequiredService<Portal.Data.PortalDbContext>().ApiKeys.FindAsync(key.Key.KeyId).AsTask());
        stored!.LastUsedAt.Should().Be(factory.Time.GetUtcNow().UtcDateTime);
        stored.LastUsedUserAgent.Should().Be("payroll-sync/2.1");
    }

    [Fact]
    public async Task Issued_tokens_are_audited_with_their_jti_and_never_the_key()
    {
        var key = await KeyAsync();

        var token = await client.AccessTokenAsync(key.Plaintext);

        var issued = await factory.AuditAsync("token.issued");
        var jti = TokenRequests.Payload(token).GetProperty("jti").GetString();
        issued.Should().ContainSingle(e => e.TargetId == key.Key.KeyId && e.Detail!.Contains(jti!));
        var secret = key.Plaintext[25..];
        issued.Should().NotContain(e => (e.Detail ?? "").Contains(secret));
        issued.Single(e => e.TargetId == key.Key.KeyId).OccurredAt.Should().Be(factory.Time.GetUtcNow().UtcDateTime);
        // Batched raw inserts and EF Core must store time alike, or date filters and ordering break (on PostgreSQL the
        // column's type decides; SQLite stores text).
        if (factory.Provider != Portal.Data.DatabaseProvider.Sqlite) return;
        var stored = await factory.WithScopeAsync(s => s.GetRequiredService<Portal.Data.PortalDbContext>().Database
            .SqlQueryRaw<string>("SELECT \"OccurredAt\" AS \"Value\" FROM \"AuditEvents\" WHERE \"Action\" IN " +
                "('token.issued', 'key.created')").ToListAsync());
        stored.Should().HaveCountGreaterThan(1).And.OnlyContain(text => System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,7})?$"));
    }
}

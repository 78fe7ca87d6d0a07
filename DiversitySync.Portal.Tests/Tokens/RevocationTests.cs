namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>
/// POST /oauth/revoke (RFC 7009): a client's own tokens (S-02), and a key reporting itself leaked (S-03).
/// </summary>
public class RevocationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    /// <summary>
    /// Revokes <paramref name="token"/> with <paramref name="caller"/>'s credentials, client_secret_basic.
    /// </summary>
    public static Task<HttpResponseMessage> RevokeAsync(HttpClient client, NewApiKey caller, string token,
        string? hint = null) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/oauth/revoke")
        {
            Headers = { Authorization = new("Basic", TokenRequests.Basic(caller.Key.KeyId, caller.Plaintext)) },
            Content = new FormUrlEncodedContent(hint is null ? [new("token", token)] : [new("token", token),
                new("token_type_hint", hint)]),
        });

    private async Task<NewApiKey> KeyAsync() => await factory.KeyAsync(await factory.StaffAsync(), "read:api_keys");

    private Task<int> RevokedTokenRowsAsync() =>
        factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().RevokedAccessTokens.CountAsync());

    [Fact]
    public async Task S02_a_revoked_access_token_is_refused_from_the_next_request_while_the_keys_other_tokens_work()
    {
        var key = await KeyAsync();
        var token = await client.AccessTokenAsync(key.Plaintext);
        var other = await client.AccessTokenAsync(key.Plaintext);

        var response = await RevokeAsync(client, key, token, "access_token");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/v1/me", other)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.AuditAsync(AuditActions.TokenRevoked)).Should().Contain(e => e.TargetId == key.Key.KeyId);
    }

    [Fact]
    public async Task S02_another_clients_token_or_an_unknown_one_gets_200_and_nothing_changes()
    {
        var caller = await KeyAsync();
        var victim = await KeyAsync();
        var victimToken = await client.AccessTokenAsync(victim.Plaintext);
        var rows = await RevokedTokenRowsAsync();

        var foreign = await RevokeAsync(client, caller, victimToken);
        var unknown = await RevokeAsync(client, caller, "eyJhbGciOiJub25lIn0.e30.");
        var otherKey = await RevokeAsync(client, caller, victim.Plaintext, "api_key");

        foreign.StatusCode.Should().Be(HttpStatusCode.OK);
        unknown.StatusCode.Should().Be(HttpStatusCode.OK);
        otherKey.StatusCode.Should().Be(HttpStatusCode.OK);
        (await RevokedTokenRowsAsync()).Should().Be(rows);
        (await client.GetAsync("/v1/me", victimToken)).StatusCode.Should().Be(HttpStatusCode.OK,
            "only its own client can revoke a token");
        (await client.ExchangeAsync(victim.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK,
            "a key is revoked only by presenting it as the credential too");
    }

    [Fact]
    public async Task S02_the_stored_entry_is_gone_once_the_token_would_have_expired()
    {
        var key = await KeyAsync();
        await RevokeAsync(client, key, await client.AccessTokenAsync(key.Plaintext));
        await factory.AdvanceAsync(TimeSpan.FromMinutes(16));

        var later = await KeyAsync();
        await RevokeAsync(client, later, await client.AccessTokenAsync(later.Plaintext));

        var stored = await factory.WithScopeAsync(s =>
            s.GetRequiredService<PortalDbContext>().RevokedAccessTokens.Select(t => t.KeyId).ToListAsync());
        stored.Should().NotContain(key.Key.KeyId,
            "an entry lives only as long as its token would have").And.Contain(later.Key.KeyId);
    }

    public static TheoryData<string> ClientForms() => ["basic", "form fields", "bearer header"];

    [Theory]
    [MemberData(nameof(ClientForms))]
    public async Task S03_a_key_presented_as_credential_and_token_revokes_itself_as_reported_leaked(string form)
    {
        var key = await KeyAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/revoke");
        List<KeyValuePair<string, string>> fields = [new("token", key.Plaintext)];
        if (form == "basic")
        {
            request.Headers.Authorization = new("Basic", TokenRequests.Basic(key.Key.KeyId, key.Plaintext));
        }
        else if (form == "bearer header")
        {
            request.Headers.Authorization = new("Bearer", key.Plaintext);
        }
        else
        {
            fields.AddRange([new("client_id", key.Key.KeyId), new("client_secret", key.Plaintext)]);
        }

        request.Content = new FormUrlEncodedContent(fields);

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var view = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().ViewAsync(key.Key.KeyId,
            CancellationToken.None));
        view!.RevocationReason.Should().Be("reported leaked");
        (await factory.AuditAsync(AuditActions.KeyRevoked)).Should().Contain(e => e.TargetId == key.Key.KeyId
            && e.Detail == "reported leaked");
    }

    [Fact]
    public async Task S03_a_wrong_key_gets_invalid_client_and_nothing_is_revoked()
    {
        var key = await KeyAsync();
        var wrong = key.Plaintext[..^9] + (key.Plaintext[^9] == 'a' ? 'b' : 'a') + key.Plaintext[^8..];

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/oauth/revoke")
        {
            Headers = { Authorization = new("Bearer", wrong) },
            Content = new FormUrlEncodedContent([new("token", key.Plaintext)]),
        });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.JsonAsync()).GetProperty("error").GetString().Should().Be("invalid_client");
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task S02_a_token_revoked_on_one_instance_is_refused_by_another()
    {
        await using var second = factory.Another();
        // one clock for both, whatever earlier tests here did to this one
        second.Time.SetUtcNow(factory.Time.GetUtcNow());
        var there = second.CreateClient();
        var key = await KeyAsync();
        var token = await client.AccessTokenAsync(key.Plaintext);
        (await there.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);

        await RevokeAsync(client, key, token);

        // Through the change feed (on PostgreSQL at once by NOTIFY, otherwise at the next poll); the deadline only
        // keeps a broken feed from hanging the test.
        (await Eventually.StatusAsync(() => there.GetAsync("/v1/me", token), HttpStatusCode.Unauthorized)).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
    }
}

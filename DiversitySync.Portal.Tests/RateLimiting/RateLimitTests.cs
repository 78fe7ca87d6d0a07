namespace DiversitySync.Portal.Tests.RateLimiting;

/// <summary>T-08: 429 with Retry-After (never 503), partitions nobody can escape or use against others.</summary>
public class RateLimitTests
{
    private static PortalFactory Limited(params (string Key, string Value)[] limits) =>
        PortalFactory.Create(settings: new(limits.Select(l => new KeyValuePair<string, string?>($"RateLimits:{l.Key}",
            l.Value)))
        {
            ["RateLimits:Enabled"] = "true",
        });

    private static async Task ShouldBeTooManyAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        int.Parse(response.Headers.GetValues("Retry-After").Single()).Should().BePositive();
        (await response.Content.ReadAsStringAsync()).Should().Contain("Too many requests");
    }

    private static HttpRequestMessage Exchange(string key, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post,
            "/oauth/token")
        { Headers = { Authorization = new("Bearer", key) } };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    [Fact]
    public async Task T08_a_burst_from_one_client_gets_429_and_rotating_x_forwarded_for_does_not_escape_it()
    {
        await using var factory = Limited(("TokenPerIp:PermitLimit", "3"));
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync());

        for (var i = 0; i < 3; i++)
        {
            (await client.SendAsync(Exchange(key.Plaintext, $"203.0.113.{i}"))).StatusCode.Should()
                .Be(HttpStatusCode.OK);
        }
        var refused = await client.SendAsync(Exchange(key.Plaintext, "203.0.113.99"));

        await ShouldBeTooManyAsync(refused);
        refused.Headers.CacheControl!.NoStore.Should().BeTrue();
        for (var i = 0; i < 5; i++) await client.SendAsync(Exchange(key.Plaintext));
        (await factory.AuditAsync("rate.limited")).Should().ContainSingle("L-01: recorded, but once a minute, not " +
            "once per refused request");
    }

    [Fact]
    public async Task T08_failed_authentications_use_up_a_stricter_allowance_that_then_refuses_even_a_good_key()
    {
        await using var factory = Limited(("FailedTokenPerIp:PermitLimit", "2"));
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var guess = ApiKeyFormat.Create(ApiKeyEnvironment.Live, key.Key.KeyId);

        (await client.SendAsync(Exchange(guess))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.SendAsync(Exchange(guess))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await ShouldBeTooManyAsync(await client.SendAsync(Exchange(key.Plaintext)));
    }

    [Fact]
    public async Task T08_wrong_secrets_for_a_key_id_never_use_up_that_keys_own_allowance()
    {
        await using var factory = Limited(("TokenPerKey:PermitLimit", "2"));
        var client = factory.CreateClient();
        var victim = await factory.KeyAsync(await factory.StaffAsync());
        for (var i = 0; i < 5; i++)
        {
            await client.SendAsync(Exchange(ApiKeyFormat.Create(ApiKeyEnvironment.Live, victim.Key.KeyId)));
        }

        (await client.SendAsync(Exchange(victim.Plaintext))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.SendAsync(Exchange(victim.Plaintext))).StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeTooManyAsync(await client.SendAsync(Exchange(victim.Plaintext)));
    }

    [Fact]
    public async Task T08_v1_is_limited_per_key_and_one_busy_key_does_not_slow_another()
    {
        await using var factory = Limited(("ApiPerKey:PermitLimit", "3"));
        var client = factory.CreateClient();
        var busy = await client.AccessTokenAsync((await factory.KeyAsync(await factory.StaffAsync())).Plaintext);
        var quiet = await client.AccessTokenAsync((await factory.KeyAsync(await factory.StaffAsync())).Plaintext);

        for (var i = 0; i < 3; i++) (await client.GetAsync("/v1/me", busy)).StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = await client.GetAsync("/v1/me", busy);

        await ShouldBeTooManyAsync(refused);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await factory.AuditAsync("rate.limited")).Should().ContainSingle().Which.Detail.Should().Contain("/v1");
        (await client.GetAsync("/v1/me", quiet)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task T08_after_the_window_requests_succeed_again()
    {
        await using var factory = Limited(("TokenPerIp:PermitLimit", "1"), ("TokenPerIp:WindowSeconds", "1"));
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync());
        (await client.SendAsync(Exchange(key.Plaintext))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.SendAsync(Exchange(key.Plaintext))).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the limiter keeps real time (it takes no TimeProvider)

        (await client.SendAsync(Exchange(key.Plaintext))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Behind_a_configured_proxy_each_forwarded_client_gets_its_own_allowance()
    {
        await using var factory = Limited(("TokenPerIp:PermitLimit", "1"), ("KnownProxies:0", "127.0.0.1"));
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync());

        (await client.SendAsync(Exchange(key.Plaintext, "198.51.100.1"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.SendAsync(Exchange(key.Plaintext,
            "198.51.100.1"))).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await client.SendAsync(Exchange(key.Plaintext, "198.51.100.2"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task T08_S01_introspection_counts_per_key_like_v1_not_per_ip_like_token_exchanges()
    {
        await using var factory = Limited(("TokenPerIp:PermitLimit", "3"), ("ApiPerKey:PermitLimit", "5"));
        var client = factory.CreateClient();
        var caller = await factory.KeyAsync(await factory.StaffAsync(), "read:tokens");
        var token = await client.AccessTokenAsync(caller.Plaintext);
        HttpRequestMessage Introspect() => new(HttpMethod.Post, "/oauth/introspect")
        {
            Headers = { Authorization = new("Basic", TokenRequests.Basic(caller.Key.KeyId, caller.Plaintext)) },
            Content = new FormUrlEncodedContent([new("token", token)]),
        };

        for (var i = 0; i < 5; i++)
        {
            (await client.SendAsync(Introspect())).StatusCode.Should()
                .Be(HttpStatusCode.OK, "more than the per-IP exchanges allowed");
        }
        var refused = await client.SendAsync(Introspect());

        await ShouldBeTooManyAsync(refused);
        refused.Headers.CacheControl!.NoStore.Should().BeTrue();
    }
}

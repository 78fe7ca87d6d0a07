namespace DiversitySync.Portal.Tests.Review;

/// <summary>The review's filters and the usage endpoint on /v1: bad values are a 400 naming the parameter.</summary>
public class ReviewApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private async Task<(string Token, string KeyId)> ReaderAsync()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(), ScopeCatalog.ReadApiKeys);
        return (await client.AccessTokenAsync(key.Plaintext), key.Key.KeyId);
    }

    [Theory]
    [InlineData("used=sometimes", "used")]
    [InlineData("used=before:99999d", "used")]
    [InlineData("used=before:0d", "used")]
    [InlineData("expires=before:3d", "expires")]
    [InlineData("created=2026-03-01..2026-01-01", "created")]
    [InlineData("created=2026-02-30..2026-03-01", "created")]
    [InlineData("created=never", "created")]
    [InlineData("unusedScopes=maybe", "unusedScopes")]
    [InlineData("creatorStatus=gone", "creatorStatus")]
    [InlineData("writes=1", "writes")]
    public async Task A_bad_review_filter_is_a_400_naming_it(string query, string parameter)
    {
        var (token, _) = await ReaderAsync();

        var response = await client.GetAsync($"/v1/api-keys?{query}", token);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty(parameter, out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("used=never&expires=never&created=within:30d&writes=false&unusedScopes=false")]
    [InlineData("used=before:1y&creatorStatus=blocked&created=2020-01-01..2030-12-31")]
    [InlineData("expires=within:7d&status=active&environment=live")]
    public async Task Review_filters_combine_with_the_others(string query)
    {
        var (token, _) = await ReaderAsync();

        (await client.GetAsync($"/v1/api-keys?{query}", token)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("401")]
    [InlineData("-5")]
    public async Task Usage_days_outside_1_to_400_is_a_400_naming_days(string days)
    {
        var (token, keyId) = await ReaderAsync();

        var response = await client.GetAsync($"/v1/api-keys/{keyId}/usage?days={days}", token);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty("days", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Usage_has_a_point_for_every_day_and_the_key_s_own_exchange()
    {
        var (token, keyId) = await ReaderAsync();
        await factory.Services.GetRequiredService<KeyUsageTracker>().FlushAsync();

        var usage = await (await client.GetAsync($"/v1/api-keys/{keyId}/usage?days=30", token)).JsonAsync();

        usage.GetProperty("series").GetArrayLength().Should().Be(30);
        usage.GetProperty("exchanges").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Usage_of_an_unknown_key_is_a_404()
    {
        var (token, _) = await ReaderAsync();

        (await client.GetAsync("/v1/api-keys/0123456789abcdef/usage", token)).StatusCode.Should()
            .Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Review_answers_each_question_with_its_count_and_filter()
    {
        var (token, _) = await ReaderAsync();

        var cards = await (await client.GetAsync("/v1/api-keys/review", token)).JsonAsync();

        cards.EnumerateArray().Select(c => c.GetProperty("id").GetString()).Should().Contain(["never-used", "unused",
            "never-expire", "expiring", "expired", "live-writes", "blocked-creator", "unused-scopes"]);
    }
}

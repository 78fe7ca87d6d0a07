namespace DiversitySync.Portal.Tests.Keys;

/// <summary>The search, filters, sorts and paging behind the API Keys page and GET /v1/api-keys.</summary>
public class ApiKeySearchTests : IAsyncLifetime
{
    private readonly PortalFactory factory;

    public ApiKeySearchTests() : this(new PortalFactory())
    {
    }

    /// <summary>For the same tests on another provider.</summary>
    protected ApiKeySearchTests(PortalFactory factory) => this.factory = factory;
    private StaffMember olive = null!, rita = null!;
    private readonly Dictionary<string, string> ids = [];

    public async Task InitializeAsync()
    {
        olive = await factory.StaffAsync(name: "Olive Owner");
        rita = await factory.StaffAsync(name: "Rita Reader");
        var now = factory.Time.GetUtcNow().UtcDateTime;
        // Created one minute apart, in this order.
        foreach (var (name, creator, env, expires) in new (string, StaffMember, string, DateTime?)[]
        {
            ("Payroll Export API", olive, "live", null),
            ("Roster Sync API", rita, "test", null),
            ("Invoice Integration API", olive, "live", now.AddDays(3)),
            ("Reporting dashboard", rita, "live", now.AddHours(2)),
            ("Old consultant key", olive, "test", null),
        })
        {
            var key = await factory.KeyAsync(creator, environment: env, expiresAt: expires, name: name);
            ids[name] = key.Key.KeyId;
            // the only key ever used
            if (name == "Roster Sync API") await factory.CreateClient().AccessTokenAsync(key.Plaintext);
            await factory.AdvanceAsync(TimeSpan.FromMinutes(1));
        }
        await factory.RevokeAsync(ids["Old consultant key"]);
        await factory.AdvanceAsync(TimeSpan.FromHours(3)); // "Reporting dashboard" has now expired
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<List<string>> NamesAsync(ApiKeyQuery query)
    {
        var page = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().SearchAsync(Actor.System,
            query));
        return [.. page.Value!.Items.Select(k => k.Name)];
    }

    [Theory]
    [InlineData("api", new[] { "Invoice Integration API", "Roster Sync API", "Payroll Export API" })]
    [InlineData("ROSTER", new[] { "Roster Sync API" })]
    [InlineData("100%", new string[0])]
    [InlineData("_", new string[0])]
    public async Task Search_matches_names_case_insensitively_and_treats_wildcards_literally(string text,
        string[] expected)
    {
        (await NamesAsync(new ApiKeyQuery(Search: text))).Should().Equal(expected);
    }

    [Fact]
    public async Task Search_finds_a_key_by_its_key_id_with_or_without_the_ds_prefix()
    {
        var keyId = ids["Roster Sync API"];

        (await NamesAsync(new ApiKeyQuery(Search: keyId[..6]))).Should().Equal("Roster Sync API");
        (await NamesAsync(new ApiKeyQuery(Search: $"ds_test_{keyId}"))).Should().Equal("Roster Sync API");
    }

    [Fact]
    public async Task Filters_combine()
    {
        (await NamesAsync(new ApiKeyQuery(CreatorId: olive.Id))).Should().Equal("Old consultant key",
            "Invoice Integration API", "Payroll Export API");
        (await NamesAsync(new ApiKeyQuery(Environment: ApiKeyEnvironment.Test))).Should().Equal("Old consultant key",
            "Roster Sync API");
        (await NamesAsync(new ApiKeyQuery(CreatorId: olive.Id,
            Environment: ApiKeyEnvironment.Live))).Should().Equal("Invoice Integration API", "Payroll Export API");
    }

    [Theory]
    [InlineData(ApiKeyStatus.Revoked, new[] { "Old consultant key" })]
    [InlineData(ApiKeyStatus.Expired, new[] { "Reporting dashboard" })]
    [InlineData(ApiKeyStatus.ExpiringSoon, new[] { "Invoice Integration API" })]
    [InlineData(ApiKeyStatus.Active, new[] { "Invoice Integration API", "Roster Sync API", "Payroll Export API" })]
    public async Task Status_filters_follow_the_derived_status(ApiKeyStatus status, string[] expected)
    {
        (await NamesAsync(new ApiKeyQuery(Status: status))).Should().Equal(expected);
    }

    [Fact]
    public async Task Sorts_order_by_created_name_and_last_used()
    {
        (await NamesAsync(new ApiKeyQuery(Sort: ApiKeySort.CreatedOldest))).Should().Equal(
            "Payroll Export API", "Roster Sync API", "Invoice Integration API", "Reporting dashboard",
            "Old consultant key");
        (await NamesAsync(new ApiKeyQuery(Sort: ApiKeySort.Name))).Should().Equal(
            "Invoice Integration API", "Old consultant key", "Payroll Export API", "Reporting dashboard",
            "Roster Sync API");
        // Sorting by last use reads stored times, which the batched flush writes (Keys:UsageFlushSeconds).
        await factory.Services.GetRequiredService<KeyUsageTracker>().FlushAsync();
        (await NamesAsync(new ApiKeyQuery(Sort: ApiKeySort.LastUsed))).Should().HaveCount(5).And.StartWith("Roster " +
            "Sync API");
    }

    [Fact]
    public async Task Paging_returns_the_total_and_the_requested_slice()
    {
        var page = (await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>()
            .SearchAsync(Actor.System,
                new ApiKeyQuery(Environment: ApiKeyEnvironment.Live, Sort: ApiKeySort.Name, Page: 2,
                PageSize: 2)))).Value!;

        page.Total.Should().Be(3);
        page.Items.Select(k => k.Name).Should().Equal("Reporting dashboard");
    }

    [Fact]
    public async Task The_v1_list_applies_the_same_query_string()
    {
        var client = factory.CreateClient();
        var token = await client.AccessTokenAsync((await factory.KeyAsync(olive, name: "Reader")).Plaintext);

        var body = await (await client.GetAsync($"/v1/api-keys?creator={rita.Id}&environment=live&status=expired&sort=name&pageSize=10", token)).JsonAsync();

        body.GetProperty("total").GetInt32().Should().Be(1);
        body.GetProperty("items")[0].GetProperty("name").GetString().Should().Be("Reporting dashboard");
        body.GetProperty("items")[0].GetProperty("status").GetString().Should().Be("expired");
    }
}

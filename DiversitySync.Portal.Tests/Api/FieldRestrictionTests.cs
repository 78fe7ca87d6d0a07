using DiversitySync.Portal.Api;
using Microsoft.AspNetCore.Routing;

namespace DiversitySync.Portal.Tests.Api;

/// <summary>
/// A key limited to some fields (K-08) gets only those, plus identifiers, from every /v1 list, item and export of
/// staff, api_keys and audit; sorting or filtering by a field it cannot see is a 403 naming the field.
/// </summary>
public class FieldRestrictionTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Scopes = "read:users read:api_keys read:audit download:api_keys download:audit " +
        "write:user_blocks";
    private readonly HttpClient client = factory.CreateClient();

    private static readonly Dictionary<string, IReadOnlyList<string>> Limits = new()
    {
        ["staff"] = ["name", "email"],
        ["api_keys"] = ["name", "status"],
        ["audit"] = ["action", "occurred_at"],
    };

    private async Task<(string Token,
        StaffMember Owner)> TokenAsync(IReadOnlyDictionary<string, IReadOnlyList<string>>? fields)
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        return (await client.AccessTokenAsync((await factory.KeyAsync(owner, Scopes, fields: fields)).Plaintext),
            owner);
    }

    private static List<string> Properties(JsonElement item) => [.. item.EnumerateObject().Select(p => p.Name)];

    private async Task<JsonElement> GetJsonAsync(string path, string token)
    {
        var response = await client.GetAsync(path, token);
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task K08_a_limited_key_gets_exactly_its_fields_and_the_identifiers_from_lists_and_items()
    {
        var (token, owner) = await TokenAsync(Limits);
        var keyId = (await factory.KeyAsync(owner)).Key.KeyId;

        var staff = await GetJsonAsync("/v1/staff", token);
        staff.GetProperty("total").GetInt32().Should().BePositive("the page itself is not cut down");
        staff.GetProperty("items").EnumerateArray().Should().AllSatisfy(s => Properties(s).Should().BeEquivalentTo("id",
            "displayName", "email"));
        Properties(await GetJsonAsync($"/v1/staff/{owner.Id}", token)).Should().BeEquivalentTo("id", "displayName",
            "email");

        (await GetJsonAsync("/v1/api-keys", token)).GetProperty("items").EnumerateArray()
            .Should().AllSatisfy(k => Properties(k).Should().BeEquivalentTo("keyId", "name",
                "status")); // displayId spells the hidden environment
        Properties(await GetJsonAsync($"/v1/api-keys/{keyId}", token)).Should().BeEquivalentTo("keyId", "name",
            "status");

        (await GetJsonAsync("/v1/audit-events", token)).GetProperty("items").EnumerateArray()
            .Should().AllSatisfy(e => Properties(e).Should().BeEquivalentTo("id", "action", "occurredAt"));
    }

    [Fact]
    public async Task K08_what_a_change_answers_with_is_cut_down_too()
    {
        var (token, _) = await TokenAsync(Limits);
        var someone = await factory.StaffWithoutRolesAsync(); // within the key's scopes (P-06)

        var blocked = await client.PostJsonAsync($"/v1/staff/{someone.Id}/block", token, "{}");

        blocked.StatusCode.Should().Be(HttpStatusCode.OK);
        Properties(await blocked.JsonAsync()).Should().BeEquivalentTo("id", "displayName", "email");
    }

    [Fact]
    public async Task K08_a_limited_key_exports_only_its_columns()
    {
        var (token, owner) = await TokenAsync(Limits);
        await factory.KeyAsync(owner);

        var keys = await client.GetAsync("/v1/api-keys/export", token);
        var audit = await client.GetAsync("/v1/audit-events/export", token);

        keys.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        (await keys.Content.ReadAsStringAsync()).Split("\r\n")[0].Should().Be("key_id,name,status",
            "display_id spells the hidden environment");
        (await audit.Content.ReadAsStringAsync()).Split("\r\n")[0].Should().Be("id,occurred_at,action");
    }

    [Theory]
    [InlineData("/v1/staff?status=active", "status")]
    [InlineData("/v1/api-keys?sort=last_used", "last_used_at")]
    [InlineData("/v1/api-keys?environment=live", "environment")]
    [InlineData("/v1/api-keys/export?creator=someone", "created_by")]
    [InlineData("/v1/audit-events?actor=Olive", "actor_id")]
    [InlineData("/v1/audit-events/export?target=2f1ac3d0e5b7a9c1", "target_id")]
    public async Task K08_sorting_or_filtering_by_a_hidden_field_is_a_403_naming_it(string path, string field)
    {
        var (token, _) = await TokenAsync(Limits);

        var response = await client.GetAsync(path, token);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var problem = await response.JsonAsync();
        problem.GetProperty("field").GetString().Should().Be(field);
        problem.GetProperty("detail").GetString().Should().Contain($"the {field} field");
    }

    [Fact]
    public async Task K08_filtering_by_visible_fields_is_allowed()
    {
        var (token, owner) = await TokenAsync(Limits);

        var found = await GetJsonAsync($"/v1/staff?search={Uri.EscapeDataString(owner.Email!)}", token);
        var sorted = await GetJsonAsync("/v1/api-keys?sort=name&status=active", token);

        found.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetString().Should().Be(owner.Id);
        sorted.GetProperty("total").GetInt32().Should().BePositive();
    }

    /// <summary>
    /// Every field of the catalog is a property of what /v1 serves, and nothing served is outside fields and
    /// identifiers.
    /// </summary>
    [Fact]
    public async Task A_key_that_is_not_limited_gets_every_field_of_each_resource()
    {
        var (token, owner) = await TokenAsync(null);
        var keyId = (await factory.KeyAsync(owner)).Key.KeyId;
        var catalog = ScopeCatalog.BuiltInRows.ToDictionary(r => r.Name);
        List<string> Expected(string resource) =>
            [.. FieldRestrictions.Identifiers[resource],
                .. catalog[resource].Fields.Select(f => FieldRestrictions.JsonName(resource, f))];

        Properties(await GetJsonAsync($"/v1/staff/{owner.Id}", token)).Should().BeEquivalentTo(Expected("staff"));
        Properties(await GetJsonAsync($"/v1/api-keys/{keyId}", token)).Should().BeEquivalentTo(Expected("api_keys"));
        Properties((await GetJsonAsync("/v1/audit-events?pageSize=1",
            token)).GetProperty("items")[0]).Should().BeEquivalentTo(Expected("audit"));
        (await (await client.GetAsync("/v1/audit-events/export", token)).Content.ReadAsStringAsync()).Split("\r\n")[0]
            .Should().Be(string.Join(',', ["id", .. catalog["audit"].Fields]));
    }

    /// <summary>The /v1 endpoints that serve no resource a key can be limited on, and why.</summary>
    private static readonly Dictionary<string, string> ServeNoLimitedResource = new()
    {
        ["/v1/me"] = "the calling key itself; it leaves out its creator's name itself for a key that may not see " +
            "staff names",
        ["/v1/webhooks"] = "webhook endpoints and deliveries have no fields a key is limited on",
    };

    [Fact]
    public void K08_every_v1_endpoint_that_serves_a_resource_declares_it_on_its_group()
    {
        var expected = new Dictionary<string, string>
        {
            ["/v1/api-keys"] = ScopeCatalog.Resources.ApiKeys,
            ["/v1/staff"] = ScopeCatalog.Resources.Staff,
            ["/v1/invites"] = ScopeCatalog.Resources.Staff,
            ["/v1/audit-events"] = ScopeCatalog.Resources.Audit,
        };
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true).ToList();
        endpoints.Should().HaveCountGreaterThan(20);

        foreach (var endpoint in endpoints)
        {
            var path = endpoint.RoutePattern.RawText!;
            var group = "/v1/" + path.Split('/')[2];
            var served = endpoint.Metadata.GetMetadata<FieldRestrictions.ServedResource>()?.Resource;
            if (ServeNoLimitedResource.ContainsKey(group)) served.Should().BeNull(path);
            else served.Should().Be(expected.GetValueOrDefault(group), $"{path} serves it, so its group must say so");
        }
    }

    [Fact]
    public async Task K08_a_cut_down_answer_keeps_the_status_and_headers_of_the_endpoints_own()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var limited = await factory.KeyAsync(owner, "write:api_keys read:api_keys",
            fields: new Dictionary<string, IReadOnlyList<string>> { ["api_keys"] = ["name"] });
        var token = await client.AccessTokenAsync(limited.Plaintext);

        var response = await client.PostJsonAsync("/v1/api-keys", token, """{"name":"Made by a limited key","environment":"test","scopes":["read:api_keys"],"fields":{"api_keys":["name"]}}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl!.NoStore.Should().BeTrue("the answer carries the key (K-04)");
        var body = await response.JsonAsync();
        response.Headers.Location!.ToString().Should()
            .Be($"/v1/api-keys/{body.GetProperty("apiKey").GetProperty("keyId").GetString()}");
        Properties(body.GetProperty("apiKey")).Should().BeEquivalentTo("keyId", "name");
    }
}

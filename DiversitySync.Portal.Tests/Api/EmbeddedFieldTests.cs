using Microsoft.AspNetCore.Routing;

namespace DiversitySync.Portal.Tests.Api;

/// <summary>
/// K-08 wherever a resource is embedded: a key limited to staff emails and to key names and statuses is served no
/// staff name (a key's creator, an audit actor, a staff event's detail) and no environment (nor the displayId that
/// spells it) by any /v1 GET endpoint, found from the app's own routes; and nothing it cannot see orders what it gets.
/// </summary>
public class EmbeddedFieldTests(QuietPortalFactory factory) : IClassFixture<QuietPortalFactory>
{
    private const string CreatorName = "Zed Zebulonsson";
    private readonly HttpClient client = factory.CreateClient();

    private async Task<(string Token, StaffMember Creator, NewApiKey Key)> LimitedAsync()
    {
        var creator = await factory.StaffAsync(StaffRole.Owner, CreatorName);
        var catalog = factory.Services.GetRequiredService<ScopeCatalog>();
        var reads = string.Join(' ', catalog.All.Where(s => s.Verb is "read" or "download").Select(s => s.Name));
        var key = await factory.KeyAsync(creator, reads, environment: "test",
            fields: new Dictionary<string, IReadOnlyList<string>>
            {
                ["staff"] = ["email"],
                ["api_keys"] = ["name", "status"],
            });
        await factory.KeyAsync(creator, name: "Another of Zed's keys");
        // An event by the creator about a staff member: its actor name and detail (roles) must not be served.
        var someone = await factory.StaffWithoutRolesAsync();
        await factory.WithScopeAsync(s => s.GetRequiredService<StaffStanding>().BlockAsync(someone.Id,
            Seed.ActorOf(creator)));
        return (await client.AccessTokenAsync(key.Plaintext), creator, key);
    }

    [Fact]
    public async Task K08_no_v1_get_endpoint_serves_a_hidden_staff_name_or_environment_anywhere_in_its_answer()
    {
        var (token, creator, key) = await LimitedAsync();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true
                        && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => e.RoutePattern.RawText!.Replace("{keyId}", key.Key.KeyId).Replace("{id}", creator.Id))
            .ToList();
        routes.Should().Contain(["/v1/me", "/v1/api-keys/", "/v1/api-keys/export", "/v1/audit-events",
            "/v1/audit-events/export"]);

        foreach (var route in routes.Append($"/v1/audit-events?actor={Uri.EscapeDataString("Zed")}"))
        {
            var response = await client.GetAsync(route, token);
            var body = await response.Content.ReadAsStringAsync();

            body.Should().NotContain("Zebulonsson", route).And.NotContain("Owner", route);
            if (route == "/v1/me") continue; // the calling key itself: its own environment is in its token (env) anyway
            // An answer derived from a hidden field (the credential report) is refused, naming the field, not served.
            if (response.StatusCode == HttpStatusCode.Forbidden) continue;
            body.Should().NotContain("ds_test_", route).And.NotContain("ds_live_",
                route).And.NotContain("\"environment\"", route).And.NotContain("test key", route);
        }
    }

    [Fact]
    public async Task K08_an_actor_search_matches_ids_only_when_names_are_hidden()
    {
        var (token, creator, _) = await LimitedAsync();

        var byName = await (await client.GetAsync("/v1/audit-events?actor=Zebulon", token)).JsonAsync();
        var byId = await (await client.GetAsync($"/v1/audit-events?actor={creator.Id}", token)).JsonAsync();

        byName.GetProperty("total").GetInt32().Should().Be(0, "a name search would tell names the key may not see");
        byId.GetProperty("total").GetInt32().Should().BePositive();
    }

    [Fact]
    public async Task K08_hidden_fields_do_not_order_the_lists_a_limited_key_is_served()
    {
        var (token, _, _) = await LimitedAsync();

        var keys = (await (await client.GetAsync("/v1/api-keys?pageSize=100", token)).JsonAsync()).GetProperty("items")
            .EnumerateArray().Select(k => k.GetProperty("keyId").GetString()!).ToList();
        var staff = (await (await client.GetAsync("/v1/staff?pageSize=100", token)).JsonAsync()).GetProperty("items")
            .EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();

        keys.Should().HaveCountGreaterThan(1).And.BeInAscendingOrder(StringComparer.Ordinal,
            "created_at is hidden: identifier order");
        staff.Should().HaveCountGreaterThan(1).And.BeInAscendingOrder(StringComparer.Ordinal,
            "names are hidden: identifier order");
    }
}

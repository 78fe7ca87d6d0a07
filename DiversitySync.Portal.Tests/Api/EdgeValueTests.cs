using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace DiversitySync.Portal.Tests.Api;

/// <summary>
/// Bad input gets a 4xx, never a 5xx. Generated from the app itself: every query parameter of every GET endpoint
/// (from the endpoints' parameter metadata) and of every page (its [SupplyParameterFromQuery] properties) is sent
/// each extreme value below, so a new parameter is covered without a new test.
/// </summary>
public class EdgeValueTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly string[] ExtremeValues =
    [
        "0", "-1", "2147483647", "-2147483648", "99999999999999999999", "1e9", new string('a', 3000), "é漢字😀",
        "9999-12-31", "0001-01-01", "\0", "' OR 1=1--", "%",
    ];

    [Fact]
    public async Task Every_query_parameter_of_every_endpoint_and_page_answers_its_extreme_values_without_a_5xx()
    {
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        var key = await factory.KeyAsync(owner, string.Join(' ', ScopeCatalog.BuiltIn.Select(s => s.Name)));
        var api = factory.CreateClient();
        var token = await api.AccessTokenAsync(key.Plaintext);
        var (portal, _) = await factory.SignedInAsync(StaffRoleNames.Owner);

        var targets = EndpointQueries().Concat(PageQueries()).ToList();
        targets.Should().Contain(t => t.Path == "/v1/audit-events").And.Contain(t => t.Path == "/admin/audit");

        var failures = new List<string>();
        foreach (var (path, parameters) in targets)
        {
            foreach (var parameter in parameters)
            {
                foreach (var value in ExtremeValues)
                {
                    var url = $"{path}?{parameter}={Uri.EscapeDataString(value)}";
                    var response = path.StartsWith("/v1", StringComparison.Ordinal) ? await api.GetAsync(url,
                        token) : await portal.GetAsync(url);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{(int)response.StatusCode} {url[..Math.Min(url.Length, 120)]}");
                    }
                }
            }
        }
        failures.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/v1/audit-events?from=9999-12-31&to=9999-12-31")]
    [InlineData("/v1/audit-events?to=9999-12-31")]
    public async Task A_date_range_at_the_end_of_the_calendar_is_400_with_the_reason(string url)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(StaffRoleNames.Owner), ScopeCatalog.ReadAudit);
        var client = factory.CreateClient();

        var response = await client.GetAsync(url, await client.AccessTokenAsync(key.Plaintext));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("9999-12-30");
    }

    [Fact]
    public async Task The_audit_page_and_its_export_answer_400_for_a_range_past_the_calendar()
    {
        var (portal, _) = await factory.SignedInAsync(StaffRoleNames.Owner);

        (await portal.GetAsync("/admin/audit?to=9999-12-31")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var export = await portal.GetAsync("/admin/audit/export.csv?to=9999-12-31");
        export.StatusCode.Should().Be(HttpStatusCode.BadRequest, "refused before any header of the CSV is sent");
    }

    [Theory]
    [InlineData("/v1/staff?page=2147483647&pageSize=200")]
    [InlineData("/v1/audit-events?page=2147483647&pageSize=200")]
    [InlineData("/v1/api-keys?page=2147483647&pageSize=100")]
    public async Task A_page_beyond_what_an_offset_can_count_is_empty_never_page_one_again(string url)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(StaffRoleNames.Owner),
            "read:users read:audit read:api_keys");
        var client = factory.CreateClient();

        var page = await (await client.GetAsync(url, await client.AccessTokenAsync(key.Plaintext))).JsonAsync();

        page.GetProperty("items").GetArrayLength().Should().Be(0);
        page.GetProperty("total").GetInt32().Should().BePositive("there are rows, just none on that page");
    }

    [Fact]
    public async Task A_token_request_whose_json_is_not_utf8_is_invalid_request()
    {
        var content = new ByteArrayContent([.. Encoding.ASCII.GetBytes("{\"key\":\"ds_live_"), 0xC3, 0x28, 0xFF,
            .. Encoding.ASCII.GetBytes("\"}")]);
        content.Headers.ContentType = new("application/json");

        var response = await factory.CreateClient().PostAsync("/oauth/token", content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("error").GetString().Should().Be("invalid_request");
    }

    [Fact]
    public async Task Signing_in_with_a_non_ascii_return_url_lands_on_it_encoded()
    {
        var staff = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.SetPasswordAsync(staff);
        var client = factory.CreatePortalClient();

        var response = await client.SignInAsync(staff.Email!, PortalSignIn.Password, returnUrl: "/%C3%A9");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().EndWith("localhost/%C3%A9",
            "a Location header is ASCII: the path is percent-encoded");
    }

    /// <summary>GET endpoints outside the pages, with the query parameters their handlers bind.</summary>
    private IEnumerable<(string Path, IReadOnlyList<string> Parameters)> EndpointQueries() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true
                && e.RoutePattern.Parameters.Count == 0)
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'),
                Parameters: (IReadOnlyList<string>)[.. e.Metadata.OfType<IParameterBindingMetadata>()
                .Where(p => p.ParameterInfo.ParameterType == typeof(string)
                    || Nullable.GetUnderlyingType(p.ParameterInfo.ParameterType) == typeof(int))
                .Select(p => p.Name)]))
            .Where(e => e.Parameters.Count > 0);

    /// <summary>Pages without route values, with their [SupplyParameterFromQuery] parameters.</summary>
    private static IEnumerable<(string Path, IReadOnlyList<string> Parameters)> PageQueries() =>
        typeof(PortalOptions).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (Page: t, r.Template)))
            .Where(p => !p.Template.Contains('{'))
            .Select(p => (p.Template,
                (IReadOnlyList<string>)[.. p.Page.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Select(property => (property,
                    attribute: property.GetCustomAttribute<SupplyParameterFromQueryAttribute>()))
                .Where(q => q.attribute is not null)
                .Select(q => q.attribute!.Name ?? q.property.Name)]))
            .Where(p => p.Item2.Count > 0);
}

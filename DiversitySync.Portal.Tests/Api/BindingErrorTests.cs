using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace DiversitySync.Portal.Tests.Api;

/// <summary>
/// Generated from the endpoints: every /v1 body gets a property sent twice, every typed query parameter a value of
/// the wrong type. Each is a 400 that says what was wrong in our words, with no .NET type or declaration (L-04), as
/// the token endpoint refuses a repeated parameter.
/// </summary>
public partial class BindingErrorTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly string[] DotNetWords = ["System.", "Nullable", "Int32", "DateTime", "Failed to",
        "parameter \"", "Exception"];

    private IEnumerable<RouteEndpoint> V1() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true);

    private async Task<(HttpClient Client, string Token)> OwnerAsync()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(StaffRoleNames.Owner), factory.AllScopes());
        var client = factory.CreateClient();
        return (client, await client.AccessTokenAsync(key.Plaintext));
    }

    /// <summary>
    /// A route with every value filled in: numbers where the route wants a number, a key id elsewhere.
    /// </summary>
    private static string Fill(string route) => RouteValue().Replace(route,
        m => m.Value.Contains(":long") ? "1" : "0123456789abcdef");

    private static void ShouldBeOurWords(HttpResponseMessage response, string body, string what)
    {
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"{what}: {body}");
        body.Should().NotContainAny(DotNetWords, what);
    }

    [Fact]
    public async Task L04_every_v1_body_with_a_property_sent_twice_is_a_400_in_our_words()
    {
        var (client, token) = await OwnerAsync();
        var bodies = V1().Select(e => (Endpoint: e, Type: e.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType))
            .Where(b => b.Type is { IsClass: true } type && type != typeof(string)
                && type.GetProperties().Length > 0).ToList();
        bodies.Should().Contain(b => b.Endpoint.RoutePattern.RawText == "/v1/webhooks/").And.Contain(b => b.Endpoint.RoutePattern.RawText == "/v1/api-keys/");

        foreach (var (endpoint, type) in bodies)
        {
            var property = JsonNamingPolicy.CamelCase.ConvertName(type!.GetProperties()[0].Name);
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                var what = $"{method} {endpoint.RoutePattern.RawText} with {property} twice";

                var response = await client.SendJsonAsync(new HttpMethod(method), Fill(endpoint.RoutePattern.RawText!), token, $$"""{"{{property}}":null,"{{property}}":null}""");

                var text = await response.Content.ReadAsStringAsync();
                ShouldBeOurWords(response, text, what);
                text.Should().Contain(property).And.Contain("more than once").And.NotContain(type.Name);
            }
        }
    }

    [Fact]
    public async Task L04_every_typed_query_parameter_given_a_word_is_a_400_that_names_it()
    {
        var (client, token) = await OwnerAsync();
        var typed = V1().Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .SelectMany(e => e.Metadata.OfType<IParameterBindingMetadata>()
                .Where(p => Nullable.GetUnderlyingType(p.ParameterInfo.ParameterType) is { IsPrimitive: true } or { IsValueType: true })
                .Select(p => (Path: Fill(e.RoutePattern.RawText!), p.Name)))
            .ToList();
        typed.Should().Contain(t => t.Name == "page");

        foreach (var (path, name) in typed)
        {
            var response = await client.GetAsync($"{path}?{name}=abc", token);

            var text = await response.Content.ReadAsStringAsync();
            ShouldBeOurWords(response, text, $"{path}?{name}=abc");
            text.Should().Contain($"The parameter {name} must be");
        }
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteValue();
}

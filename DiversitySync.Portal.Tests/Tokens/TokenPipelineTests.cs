using DiversitySync.Portal.Tokens;

namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>
/// The token endpoint's steps on their own (T-05: requested scopes can only narrow), and the OpenAPI description its
/// metadata gives.
/// </summary>
public class TokenPipelineTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private ScopeCatalog Catalog => factory.Services.GetRequiredService<ScopeCatalog>();

    [Fact]
    public void T05_the_grant_is_what_was_asked_within_what_the_key_may_use_in_catalog_order()
    {
        var (scopes, refused) = TokenEndpoint.Grant(["read:users", "read:api_keys"],
            new HashSet<string> { "read:api_keys", "read:users", "read:audit" }, Catalog);

        refused.Should().BeNull();
        scopes.Should().Equal(Catalog.Order(["read:api_keys", "read:users"]));
    }

    [Fact]
    public void T05_asking_for_nothing_grants_all_the_key_may_use_and_asking_beyond_it_is_invalid_scope()
    {
        var usable = new HashSet<string> { "read:api_keys" };

        TokenEndpoint.Grant([], usable, Catalog).Scopes.Should().Equal("read:api_keys");
        TokenEndpoint.Grant(["write:api_keys"], usable, Catalog).Refused!.Error.Should().Be("invalid_scope");
        TokenEndpoint.Grant([], new HashSet<string>(), Catalog).Refused!.Description.Should().Contain("no scope");
    }

    [Fact]
    public async Task The_oauth_endpoints_are_described_from_their_metadata()
    {
        var (portal, _) = await factory.SignedInAsync();

        using var document = JsonDocument.Parse(await portal.GetStringAsync("/openapi/v1.json"));

        var token = document.RootElement.GetProperty("paths").GetProperty("/oauth/token").GetProperty("post");
        token.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name)
            .Should().BeEquivalentTo("application/x-www-form-urlencoded", "application/json");
        token.GetProperty("responses").EnumerateObject().Select(r => r.Name).Should().Contain(["200", "400", "401",
            "429", "503"]);
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        schemas.GetProperty("TokenResponse").GetProperty("properties").EnumerateObject().Select(p => p.Name)
            .Should().BeEquivalentTo("access_token", "token_type", "expires_in", "scope");
        schemas.GetProperty("OAuthError").GetProperty("properties").EnumerateObject().Select(p => p.Name).Should()
            .BeEquivalentTo("error", "error_description");
        token.GetProperty("security").GetArrayLength().Should().Be(0,
            "the token endpoint takes a key, not an access token");
    }
}

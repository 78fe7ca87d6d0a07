using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// What other services need to trust our tokens: the public keys (JWKS) and RFC 8414 metadata, also served as OpenID
/// Connect discovery.
/// </summary>
public static class DiscoveryEndpoints
{
    public const string JwksPath = "/.well-known/jwks.json";
    public const string MetadataPath = "/.well-known/oauth-authorization-server";
    public const string OpenIdConfigurationPath = "/.well-known/openid-configuration";

    /// <summary>The current and previous public keys; never a private parameter.</summary>
    public static IResult Jwks(SigningKeyStore keys, HttpResponse response)
    {
        response.Headers.CacheControl = "public, max-age=300";
        var published = keys.Current.Published.Select(p => PublicJwk(p.Key, p.Algorithm));
        return TypedResults.Json(new { keys = published });
    }

    /// <summary>
    /// What this server is: an OAuth 2.0 authorization server for the client credentials grant. It issues no ID
    /// tokens and has no authorization endpoint, so the OpenID Connect members for those are absent.
    /// </summary>
    public static IResult Metadata(IOptions<TokenOptions> options, IOptions<PortalOptions> portal, ScopeCatalog catalog,
        HttpResponse response)
    {
        response.Headers.CacheControl = "public, max-age=300";
        string[] clientAuthentication = ["client_secret_basic", "client_secret_post"];
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["issuer"] = options.Value.Issuer,
            ["token_endpoint"] = portal.Value.Link(TokenEndpoint.Path),
            ["jwks_uri"] = portal.Value.Link(JwksPath),
            ["introspection_endpoint"] = portal.Value.Link(IntrospectionEndpoint.Path),
            ["revocation_endpoint"] = portal.Value.Link(RevocationEndpoint.Path),
            ["grant_types_supported"] = new[] { TokenRequestReader.ClientCredentials },
            ["token_endpoint_auth_methods_supported"] = clientAuthentication,
            ["introspection_endpoint_auth_methods_supported"] = clientAuthentication,
            ["revocation_endpoint_auth_methods_supported"] = clientAuthentication,
            ["response_types_supported"] = Array.Empty<string>(),
            ["scopes_supported"] = catalog.All.Select(s => s.Name).ToArray(),
            ["service_documentation"] = portal.Value.Link("/docs"),
        });
    }

    private static Dictionary<string, string> PublicJwk(AsymmetricSecurityKey key, string algorithm)
    {
        var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(key);
        var result = new Dictionary<string, string>
        {
            ["kty"] = jwk.Kty,
            ["use"] = "sig",
            ["alg"] = algorithm,
            ["kid"] = key.KeyId
        };
        if (jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA)
        {
            result["n"] = jwk.N;
            result["e"] = jwk.E;
        }
        else
        {
            result["crv"] = jwk.Crv;
            result["x"] = jwk.X;
            result["y"] = jwk.Y;
        }
        return result;
    }
}

using DiversitySync.Portal.SecretScanning;
using DiversitySync.Portal.Tokens;
using Microsoft.OpenApi;

namespace DiversitySync.Portal.Api;

/// <summary>
/// The OAuth endpoints and the secret-scanning report, described by hand: they take any method (so a GET gets an
/// OAuth-shaped 405) or read their body raw (the signature covers its bytes), so no endpoint metadata describes them.
/// </summary>
internal static class OAuthOpenApi
{
    public static IEnumerable<(string Path, OpenApiPathItem Item)> Paths()
    {
        var token = Object(("access_token", Text("An RS256 JWT (typ at+jwt)")), ("token_type", Text("Bearer")),
            ("expires_in", new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Seconds: 900" }), ("scope", Text("The scopes granted, space-delimited")));
        yield return (TokenEndpoint.Path, Post(
            "Exchange an API key for a 15-minute access token",
            "Send the key as Authorization: Bearer <key> with no body, as {\"key\": …} in JSON, or as OAuth 2.0 client credentials (RFC 6749 §4.4) in HTTP Basic or form fields.",
            new Dictionary<string, OpenApiMediaType>
            {
                ["application/x-www-form-urlencoded"] = new()
                {
                    Schema = ClientForm(("grant_type", Text("client_credentials (required with client_id/client_secret or HTTP Basic)")),
                        ("scope", Text("Optional, space-delimited: narrow the token to these scopes"))),
                },
                ["application/json"] = new() { Schema = Object(("key", Text("The API key")), ("scope", Text("Optional, space-delimited"))) },
            },
            ("200", Json("The access token", token)), ("400", Error("invalid_request, invalid_scope or unsupported_grant_type"))));

        var introspection = Object(("active", new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "false, and nothing else, for any token /v1 would refuse now" }),
            ("scope", Text("What the token may still use")), ("client_id", Text("The key id")), ("sub", Text("The key id")),
            ("exp", Seconds()), ("iat", Seconds()), ("nbf", Seconds()), ("iss", Text("Issuer")), ("aud", Text("Audience")), ("jti", Text("Token id")),
            ("token_type", Text("Bearer")), ("env", Text("live or test")), ("fields", new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The fields the key is limited to, by resource" }));
        yield return (IntrospectionEndpoint.Path, Post(
            "Introspect an access token (RFC 7662)",
            "Authenticate with your own key, which must hold read:tokens, in any of the token endpoint's client forms. The answer is what /v1 would decide now.",
            Form(("token", Text("The access token")), ("token_type_hint", Text("Optional: access_token"))),
            ("200", Json("The token's standing", introspection)), ("400", Error("invalid_request or unsupported_token_type")),
            ("403", Error("insufficient_scope: the calling key does not hold read:tokens"))));

        yield return (RevocationEndpoint.Path, Post(
            "Revoke an access token, or a leaked key (RFC 7009)",
            "Revokes one of the calling key's access tokens; a key sent as both credential and token revokes itself as reported leaked. Anything else: 200, nothing changed.",
            Form(("token", Text("An access token of the calling key, or the calling key itself")), ("token_type_hint", Text("Optional: access_token or api_key"))),
            ("200", new OpenApiResponse { Description = "Revoked, or nothing to revoke (the same answer)" }), ("400", Error("invalid_request or unsupported_token_type"))));

        var item = Object(("token", Text("The string found")), ("type", Text("The scanner's name for the pattern")),
            ("url", Text("Where it was found")), ("source", Text("content, commit, issue…")));
        var match = Object(("token_hash", Text("SHA-256 of the token, hex")), ("token_type", Text("As reported")), ("label", Text("true_positive or false_positive")));
        yield return (SecretScanningEndpoint.Path, new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = new()
                {
                    Summary = "Report leaked keys (GitHub secret scanning partner format)",
                    Description = $"A JSON array of at most {SecretScanningEndpoint.MaxTokens} items, signed with ECDSA P-256/SHA-256 over the raw body " +
                                  $"({SecretScanningEndpoint.KeyIdHeader}, {SecretScanningEndpoint.SignatureHeader}) by a key in SecretScanning:PublicKeys. Our active keys are revoked as leaked.",
                    Security = [],
                    RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = item } } },
                    },
                    Responses = new OpenApiResponses
                    {
                        ["200"] = Json("A label per distinct token", new OpenApiSchema { Type = JsonSchemaType.Array, Items = match }),
                        ["400"] = new OpenApiResponse { Description = "A malformed batch (ProblemDetails)" },
                        ["401"] = new OpenApiResponse { Description = "A missing or bad signature: nothing revoked" },
                        ["404"] = new OpenApiResponse { Description = "No scanner keys are configured" },
                        ["413"] = new OpenApiResponse { Description = "A body over 1 MB" },
                    },
                },
            },
        });
    }

    /// <summary>A POST that authenticates a client, with the answers every such endpoint shares.</summary>
    private static OpenApiPathItem Post(string summary, string description, Dictionary<string, OpenApiMediaType> body, params (string Status, OpenApiResponse Response)[] responses)
    {
        var all = new OpenApiResponses();
        foreach (var (status, response) in responses) all[status] = response;
        all["401"] = Error("invalid_client: the same body for every unusable key");
        all["405"] = Error("invalid_request: only POST, with Allow: POST");
        all["413"] = Error("invalid_request: a body over 8 KB");
        all["429"] = Error("too_many_requests, with Retry-After");
        all["503"] = Error("temporarily_unavailable, with Retry-After");
        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = new()
                {
                    Summary = summary,
                    Description = description,
                    Security = [],
                    RequestBody = new OpenApiRequestBody { Required = false, Content = body },
                    Responses = all,
                },
            },
        };
    }

    private static Dictionary<string, OpenApiMediaType> Form(params (string Name, IOpenApiSchema Schema)[] fields) =>
        new() { ["application/x-www-form-urlencoded"] = new() { Schema = ClientForm(fields) } };

    /// <summary>The form fields of a client that authenticates in the body, plus the endpoint's own.</summary>
    private static OpenApiSchema ClientForm(params (string Name, IOpenApiSchema Schema)[] fields) => Object(
        [("client_id", Text("The key id (the 16 hex digits after ds_live_ or ds_test_)")), ("client_secret", Text("The API key")), .. fields]);

    private static OpenApiSchema Object(params (string Name, IOpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = properties.ToDictionary(p => p.Name, p => p.Schema),
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Seconds() => new() { Type = JsonSchemaType.Integer, Description = "Unix seconds" };

    private static OpenApiResponse Json(string description, IOpenApiSchema schema) =>
        new() { Description = description, Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } } };

    private static OpenApiResponse Error(string description) => Json(description, Object(
        ("error", Text("invalid_request, invalid_client, invalid_scope, unsupported_grant_type, unsupported_token_type, insufficient_scope, too_many_requests or temporarily_unavailable")),
        ("error_description", Text("What was wrong"))));
}

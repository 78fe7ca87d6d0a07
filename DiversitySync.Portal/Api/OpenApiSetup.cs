using DiversitySync.Portal.Components.Account;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tokens;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DiversitySync.Portal.Api;

/// <summary>
/// /openapi/v1.json: the machine API (/oauth/token, /.well-known, /v1), generated from the endpoints. Outside
/// Development only signed-in staff get it; anyone else gets 404 (P-10: no public inventory).
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath is { } path
                && (path.StartsWith("v1/", StringComparison.Ordinal) || path.StartsWith(".well-known/", StringComparison.Ordinal));
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Diversity Sync API",
                    Version = "v1",
                    Description = "Exchange an API key for a 15-minute access token at POST /oauth/token, then call /v1 with it. Human documentation: /docs.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    ["bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT", Description = "An access token from POST /oauth/token." },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                document.Paths.Add(TokenEndpoint.Path, TokenPath());
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder endpoints)
    {
        var development = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment();
        endpoints.MapOpenApi(DocumentPath)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute())
            .AddEndpointFilter(async (context, next) =>
                development || PortalUser.From(context.HttpContext.User) is not null ? await next(context) : TypedResults.NotFound());
        return endpoints;
    }

    /// <summary>The token endpoint takes any method (so a GET gets an OAuth-shaped 405): describe its POST by hand.</summary>
    private static OpenApiPathItem TokenPath()
    {
        static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
        var form = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["grant_type"] = Text("client_credentials (required with client_id/client_secret or HTTP Basic)"),
                ["client_id"] = Text("The key id (the 16 hex digits after ds_live_ or ds_test_)"),
                ["client_secret"] = Text("The API key"),
                ["scope"] = Text("Optional, space-delimited: narrow the token to these scopes"),
            },
        };
        var json = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema> { ["key"] = Text("The API key"), ["scope"] = Text("Optional, space-delimited") },
        };
        var token = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["access_token"] = Text("An RS256 JWT (typ at+jwt)"),
                ["token_type"] = Text("Bearer"),
                ["expires_in"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Seconds: 900" },
                ["scope"] = Text("The scopes granted, space-delimited"),
            },
        };
        var error = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = Text("invalid_request, invalid_client, invalid_scope, unsupported_grant_type, too_many_requests or temporarily_unavailable"),
                ["error_description"] = Text("What was wrong"),
            },
        };
        OpenApiResponse Error(string description) => new() { Description = description, Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = error } } };
        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = new()
                {
                    Summary = "Exchange an API key for a 15-minute access token",
                    Description = "Send the key as Authorization: Bearer <key> with no body, as {\"key\": …} in JSON, or as OAuth 2.0 client credentials (RFC 6749 §4.4) in HTTP Basic or form fields.",
                    Security = [],
                    RequestBody = new OpenApiRequestBody
                    {
                        Required = false,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/x-www-form-urlencoded"] = new() { Schema = form },
                            ["application/json"] = new() { Schema = json },
                        },
                    },
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse { Description = "The access token", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = token } } },
                        ["400"] = Error("invalid_request, invalid_scope or unsupported_grant_type"),
                        ["401"] = Error("invalid_client: the same body for every unusable key"),
                        ["429"] = Error("too_many_requests, with Retry-After"),
                        ["503"] = Error("temporarily_unavailable, with Retry-After"),
                    },
                },
            },
        };
    }
}

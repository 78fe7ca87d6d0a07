using Microsoft.OpenApi;

namespace DiversitySync.Portal.Api;

/// <summary>
/// /openapi/v1.json: the machine API (/oauth/*, /.well-known, /security/secret-scanning, /v1), generated from the
/// endpoints. Outside
/// Development only signed-in staff get it; anyone else gets 404 (P-10: no public inventory).
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            string[] machine = ["v1/", ".well-known/", "oauth/", "security/"];
            options.ShouldInclude = description => description.RelativePath is { } path
                && machine.Any(m => path.StartsWith(m, StringComparison.Ordinal));
            // The OAuth endpoints and the secret-scanning report take a key or a signature, never an access token.
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                if (context.Description.RelativePath is { } path
                    && (path.StartsWith("oauth/", StringComparison.Ordinal)
                    || path.StartsWith("security/", StringComparison.Ordinal)))
                {
                    operation.Security = [];
                }
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DescribedRequestBody>()
                    .FirstOrDefault() is { } body)
                {
                    var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = body.Type.IsArray,
                        Content = body.ContentTypes.ToDictionary(type => type,
                            _ => new OpenApiMediaType { Schema = schema }),
                    };
                }
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Diversity Sync API",
                    Version = "v1",
                    Description = "Exchange an API key for a 15-minute access token at POST /oauth/token, then call " +
                    "/v1 with it. Human documentation: /docs.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    ["bearer"] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "An access token from POST /oauth/token."
                    },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer",
                    document)] = [] }];
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
                // Outside development only for a signed-in staff member: the portal's cookie is the default scheme here.
                development || context.HttpContext.User.Identity?.IsAuthenticated == true
                    ? await next(context)
                    : TypedResults.NotFound());
        return endpoints;
    }
}

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Tokens;

public static class TokensSetup
{
    public static IHostApplicationBuilder AddTokens(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section).ValidateDataAnnotations()
            .ValidateOnStart()
            .PostConfigure<IOptions<PortalOptions>>((tokens, portal) =>
            {
                if (string.IsNullOrWhiteSpace(tokens.Issuer)) tokens.Issuer = portal.Value.Link("");
            });
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<IStoreChangeListener>(services => services.GetRequiredService<SigningKeyStore>());
        builder.Services.AddSingleton<TokenValidation>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<RevokedAccessTokens>();
        builder.Services.AddSingleton<IStoreChangeListener>(services =>
            services.GetRequiredService<RevokedAccessTokens>());
        builder.Services.AddSingleton<AccessTokenJudge>();
        builder.Services.AddSingleton<OAuthClientGate>();
        builder.Services.AddSingleton<CachingTokenHandler>();
        builder.Services.AddSingleton<AccessTokenEvents>();
        builder.Services.AddAuthentication().AddJwtBearer(AccessTokenEvents.Scheme);
        builder.Services.AddOptions<JwtBearerOptions>(AccessTokenEvents.Scheme)
            .Configure<TokenValidation, CachingTokenHandler>((bearer, validation, handler) =>
        {
            // No Authority and no MetadataAddress: keys come from our own store, never from an HTTP metadata call.
            bearer.TokenValidationParameters = validation.Parameters();
            bearer.MapInboundClaims = false; // sub stays sub, scope stays scope
            bearer.TokenHandlers.Clear();
            bearer.TokenHandlers.Add(handler);
            bearer.IncludeErrorDetails = false; // AccessTokenEvents writes its own descriptions (L-05)
            bearer.EventsType = typeof(AccessTokenEvents);
        });
        return builder;
    }

    /// <summary>Loads (or on first start generates and stores) the signing keys.</summary>
    public static async Task PrepareSigningKeysAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await services.GetRequiredService<SigningKeyStore>().EnsureAsync(
            scope.ServiceProvider.GetRequiredService<PortalDbContext>(),
            scope.ServiceProvider.GetRequiredService<UnitOfWork>());
    }

    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder endpoints)
    {
        // These accept no cookie or ambient credential: routing runs them at once (ShortCircuit), skipping the
        // authentication, authorization and antiforgery middleware, whose work per request they do not need.
        endpoints.MapMachinePost(TokenEndpoint.Path, TokenEndpoint.HandleAsync)
            .WithTags("OAuth").DescribedBody<TokenEndpoint.TokenRequestFields>("application/x-www-form-urlencoded",
                "application/json")
            .WithSummary("Exchange an API key for a 15-minute access token")
            .WithDescription("Send the key as Authorization: Bearer <key> with no body, as {\"key\": …} in JSON, or " +
                "as OAuth 2.0 client credentials (RFC 6749 §4.4) in HTTP Basic or form fields. Every unusable key " +
                "gets the same invalid_client.");
        endpoints.MapMachinePost(IntrospectionEndpoint.Path, IntrospectionEndpoint.HandleAsync)
            .WithTags("OAuth").DescribedBody<TokenParameterRequest.Fields>("application/x-www-form-urlencoded")
            .WithSummary("Introspect an access token (RFC 7662)")
            .WithDescription("Authenticate with your own key, which must hold read:tokens, in any of the token " +
                "endpoint's client forms. The answer is what /v1 would decide now; anything /v1 would refuse is " +
                "{\"active\": false} and nothing more.");
        endpoints.MapMachinePost(RevocationEndpoint.Path, RevocationEndpoint.HandleAsync)
            .WithTags("OAuth").DescribedBody<TokenParameterRequest.Fields>("application/x-www-form-urlencoded")
            .WithSummary("Revoke an access token, or a leaked key (RFC 7009)")
            .WithDescription("Revokes one of the calling key's access tokens; a key sent as both credential and token " +
                "" +
                "revokes itself as reported leaked. Anything else: 200, nothing changed.");
        endpoints.MapGet(DiscoveryEndpoints.JwksPath, DiscoveryEndpoints.Jwks).ShortCircuit().WithTags("Discovery");
        // RFC 8414 and OpenID Connect Discovery 1.0: one document under both names, for libraries that know only one.
        endpoints.MapGet(DiscoveryEndpoints.MetadataPath,
            DiscoveryEndpoints.Metadata).ShortCircuit().WithTags("Discovery");
        endpoints.MapGet(DiscoveryEndpoints.OpenIdConfigurationPath,
            DiscoveryEndpoints.Metadata).ShortCircuit().WithTags("Discovery");
        return endpoints;
    }
}

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Tokens;

public static class TokensSetup
{
    public static IHostApplicationBuilder AddTokens(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure<IOptions<PortalOptions>>((tokens, portal) =>
            {
                if (string.IsNullOrWhiteSpace(tokens.Issuer)) tokens.Issuer = portal.Value.Link("");
            });
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<IStoreChangeListener>(services => services.GetRequiredService<SigningKeyStore>());
        builder.Services.AddSingleton<TokenValidation>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<RevokedAccessTokens>();
        builder.Services.AddSingleton<IStoreChangeListener>(services => services.GetRequiredService<RevokedAccessTokens>());
        builder.Services.AddSingleton<AccessTokenJudge>();
        builder.Services.AddSingleton<OAuthClientGate>();
        builder.Services.AddSingleton<CachingTokenHandler>();
        builder.Services.AddSingleton<AccessTokenEvents>();
        builder.Services.AddAuthentication().AddJwtBearer(AccessTokenEvents.Scheme);
        builder.Services.AddOptions<JwtBearerOptions>(AccessTokenEvents.Scheme).Configure<TokenValidation, CachingTokenHandler>((bearer, validation, handler) =>
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
            scope.ServiceProvider.GetRequiredService<PortalDbContext>(), scope.ServiceProvider.GetRequiredService<UnitOfWork>());
    }

    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder endpoints)
    {
        // These accept no cookie or ambient credential: routing runs them at once (ShortCircuit), skipping the
        // authentication, authorization and antiforgery middleware, whose work per request they do not need.
        // Every method reaches the OAuth handlers, so that a GET gets an OAuth-shaped 405 with Allow: POST.
        endpoints.Map(TokenEndpoint.Path, TokenEndpoint.HandleAsync)
            .ShortCircuit().WithMetadata(new SkipStatusCodePagesAttribute()).ExcludeFromDescription();
        endpoints.Map(IntrospectionEndpoint.Path, IntrospectionEndpoint.HandleAsync)
            .ShortCircuit().WithMetadata(new SkipStatusCodePagesAttribute()).ExcludeFromDescription();
        endpoints.Map(RevocationEndpoint.Path, RevocationEndpoint.HandleAsync)
            .ShortCircuit().WithMetadata(new SkipStatusCodePagesAttribute()).ExcludeFromDescription();
        endpoints.MapGet(DiscoveryEndpoints.JwksPath, DiscoveryEndpoints.Jwks).ShortCircuit().WithTags("Discovery");
        // RFC 8414 and OpenID Connect Discovery 1.0: one document under both names, for libraries that know only one.
        endpoints.MapGet(DiscoveryEndpoints.MetadataPath, DiscoveryEndpoints.Metadata).ShortCircuit().WithTags("Discovery");
        endpoints.MapGet(DiscoveryEndpoints.OpenIdConfigurationPath, DiscoveryEndpoints.Metadata).ShortCircuit().WithTags("Discovery");
        return endpoints;
    }
}

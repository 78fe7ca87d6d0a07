using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using DiversitySync.Portal.Data;

namespace DiversitySync.Portal.Tokens;

public static class TokensSetup
{
    public static IHostApplicationBuilder AddTokens(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure<IOptions<PortalOptions>>((tokens, portal) =>
            {
                if (string.IsNullOrWhiteSpace(tokens.Issuer)) tokens.Issuer = portal.Value.PublicUrl.TrimEnd('/');
            });
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<IStoreChangeListener>(services => services.GetRequiredService<SigningKeyStore>());
        builder.Services.AddSingleton<TokenValidation>();
        builder.Services.AddSingleton<AccessTokenCache>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        return builder;
    }

    /// <summary>Loads (or on first start generates and stores) the signing keys.</summary>
    public static async Task PrepareSigningKeysAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await services.GetRequiredService<SigningKeyStore>().EnsureAsync(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder endpoints)
    {
        // Every method reaches the handler, so that a GET gets an OAuth-shaped 405 with Allow: POST.
        // It accepts no cookie or ambient credential, so antiforgery does not apply (security-checklist §4.12).
        endpoints.Map(TokenEndpoint.Path, TokenEndpoint.HandleAsync)
            .AllowAnonymous().DisableAntiforgery().WithMetadata(new SkipStatusCodePagesAttribute()).ExcludeFromDescription();
        endpoints.MapGet(DiscoveryEndpoints.JwksPath, DiscoveryEndpoints.Jwks).AllowAnonymous().WithTags("Discovery");
        endpoints.MapGet(DiscoveryEndpoints.MetadataPath, DiscoveryEndpoints.Metadata).AllowAnonymous().WithTags("Discovery");
        return endpoints;
    }
}

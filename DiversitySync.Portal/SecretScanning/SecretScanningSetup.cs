using Microsoft.AspNetCore.Mvc;

namespace DiversitySync.Portal.SecretScanning;

public static class SecretScanningSetup
{
    public static IHostApplicationBuilder AddSecretScanning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecretScanningOptions>().BindConfiguration(SecretScanningOptions.Section)
            .Validate(o => SecretScanningOptions.Validate(o).Succeeded, "SecretScanning:PublicKeys holds a key that is not an ECDSA P-256 public key in PEM.")
            .ValidateOnStart();
        return builder;
    }

    public static IEndpointRouteBuilder MapSecretScanning(this IEndpointRouteBuilder endpoints)
    {
        // A scanner's server calls this with no cookie or other ambient credential: the signature is its only
        // credential, so it runs at once (ShortCircuit) without the portal's authentication and antiforgery.
        // Every method reaches the handler, so that a GET gets 405 with Allow: POST rather than the portal's 404 page.
        endpoints.Map(SecretScanningEndpoint.Path, SecretScanningEndpoint.HandleAsync)
            .ShortCircuit().WithMetadata(new SkipStatusCodePagesAttribute()).ExcludeFromDescription();
        return endpoints;
    }
}

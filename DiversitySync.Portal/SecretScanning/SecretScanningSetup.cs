namespace DiversitySync.Portal.SecretScanning;

public static class SecretScanningSetup
{
    public static IHostApplicationBuilder AddSecretScanning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecretScanningOptions>().BindConfiguration(SecretScanningOptions.Section)
            .Validate(o => SecretScanningOptions.Validate(o).Succeeded,
                "SecretScanning:PublicKeys holds a key that is not an ECDSA P-256 public key in PEM.")
            .ValidateOnStart();
        return builder;
    }

    public static IEndpointRouteBuilder MapSecretScanning(this IEndpointRouteBuilder endpoints)
    {
        // A scanner's server calls this with no cookie or other ambient credential: the signature is its only credential.
        endpoints.MapMachinePost(SecretScanningEndpoint.Path, SecretScanningEndpoint.HandleAsync)
            .WithTags("Secret scanning")
            .DescribedBody<SecretScanningEndpoint.ReportedToken[]>("application/json")
            .Produces<SecretScanningEndpoint.Match[]>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Report leaked keys (GitHub secret scanning partner format)")
            .WithDescription(
                $"A JSON array of at most {SecretScanningEndpoint.MaxTokens} items, signed with ECDSA P-256/SHA-256 " +
                $"over the raw body ({SecretScanningEndpoint.KeyIdHeader}, {SecretScanningEndpoint.SignatureHeader}) " +
                "by a key in SecretScanning:PublicKeys. Our active keys in it are revoked as leaked; 401 for a " +
                "missing or bad signature, 404 when no scanner keys are configured.");
        return endpoints;
    }
}

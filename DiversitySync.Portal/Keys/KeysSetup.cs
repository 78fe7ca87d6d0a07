using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Keys;

public static class KeysSetup
{
    public static IHostApplicationBuilder AddKeys(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScopeOptions>().BindConfiguration(ScopeOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ScopeOptions>, ScopeOptionsValidator>();
        builder.Services.AddOptions<KeysOptions>().BindConfiguration(KeysOptions.Section).ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.Section).ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ScopeCatalog>();
        builder.Services.AddSingleton<KeyRegistry>();
        builder.Services.AddSingleton<IStoreChangeListener>(services => services.GetRequiredService<KeyRegistry>());
        builder.Services.AddSingleton<KeyAuthenticator>();
        builder.Services.AddSingleton<KeyNames>();
        builder.Services.AddSingleton<KeyUsageTracker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<KeyUsageTracker>());
        builder.Services.AddScoped<ApiKeyQueries>();
        builder.Services.AddScoped<ApiKeyService>();
        builder.Services.AddScoped<KeyUsageQueries>();
        builder.Services.AddScoped<KeyReview>();
        builder.Services.AddScoped<CredentialReport>();
        builder.Services.AddScoped<KeyPolicyService>();
        builder.Services.AddHostedService<UnusedKeyExpiryJob>();
        return builder;
    }
}

internal sealed class ScopeOptionsValidator : IValidateOptions<ScopeOptions>
{
    public ValidateOptionsResult Validate(string? name, ScopeOptions options) => ScopeCatalog.Validate(options);
}

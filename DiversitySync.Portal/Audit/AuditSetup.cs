namespace DiversitySync.Portal.Audit;

public static class AuditSetup
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AuditQueue>();
        builder.Services.AddScoped<AuditQueries>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditQueue>());
        builder.Services.AddScoped<AuditRetention>();
        builder.Services.AddHostedService<AuditRetentionJob>();
        return builder;
    }
}

namespace DiversitySync.Portal.Audit;

public static class AuditSetup
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditQueue>();
        builder.Services.AddScoped<AuditQueries>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditQueue>());
        return builder;
    }
}

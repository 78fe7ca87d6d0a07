using DiversitySync.Portal.Data;
using Microsoft.AspNetCore.Identity;

namespace DiversitySync.Portal.Staff;

public static class StaffSetup
{
    public static IHostApplicationBuilder AddStaff(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<StaffMember>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Tokens.AuthenticatorTokenProvider = OneTimeAuthenticator.ProviderName;
            })
            .AddRoles<StaffRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<OneTimeAuthenticator>(OneTimeAuthenticator.ProviderName);
        builder.Services.AddSingleton<StaffPermissions>();
        builder.Services.AddScoped<StaffService>();
        builder.Services.AddSingleton<ActorAccess>();
        builder.Services.AddScoped<StaffChangeRunner>();
        builder.Services.AddScoped<StaffStanding>();
        builder.Services.AddScoped<StaffInvites>();
        builder.Services.AddScoped<StaffRoles>();
        builder.Services.AddScoped<StaffQueries>();
        builder.Services.AddScoped<StaffMfa>();
        builder.Services.AddHostedService<SetupLinkAnnouncer>();
        return builder;
    }
}

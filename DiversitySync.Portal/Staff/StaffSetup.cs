using DiversitySync.Portal.Data;
using Microsoft.AspNetCore.Identity;

namespace DiversitySync.Portal.Staff;

public static class StaffSetup
{
    public static IHostApplicationBuilder AddStaff(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddIdentityCore<StaffMember>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<StaffRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddSingleton<StaffPermissions>();
        builder.Services.AddScoped<StaffService>();
        builder.Services.AddHostedService<SetupLinkAnnouncer>();
        return builder;
    }
}

using Microsoft.AspNetCore.DataProtection;
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
            .AddUserStore<StaffUserStore>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<OneTimeAuthenticator>(OneTimeAuthenticator.ProviderName);
        builder.Services.AddScoped<StaffService>();
        builder.Services.AddScoped<StaffChangeRunner>();
        builder.Services.AddScoped<StaffStanding>();
        builder.Services.AddScoped<StaffInvites>();
        builder.Services.AddScoped<StaffRoles>();
        builder.Services.AddScoped<StaffQueries>();
        builder.Services.AddScoped<StaffMfa>();
        return builder;
    }

    /// <summary>
    /// After the schema migrations: data migrations that need the running app's services (encryption).
    /// </summary>
    public static async Task PrepareStaffAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await StaffUserStore.EncryptStoredKeysAsync(
            scope.ServiceProvider.GetRequiredService<PortalDbContext>(),
            scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>());
    }
}

using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data;

/// <summary>
/// The model, shared by both providers. Each provider has a derived context with its own migrations
/// (<see cref="Sqlite.SqlitePortalDbContext"/>, <see cref="PostgreSQL.PostgresPortalDbContext"/>); services ask
/// for this type and get the configured one.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options)
    : IdentityDbContext<StaffMember, StaffRole, string>(options)
{
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<RevokedAccessToken> RevokedAccessTokens => Set<RevokedAccessToken>();
    public DbSet<SetupToken> SetupTokens => Set<SetupToken>();
    public DbSet<StaffLink> StaffLinks => Set<StaffLink>();
    public DbSet<ChangeCounter> ChangeCounters => Set<ChangeCounter>();
    public DbSet<WebhookSecret> WebhookSecrets => Set<WebhookSecret>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookMessage> WebhookMessages => Set<WebhookMessage>();
    public DbSet<KeyReminder> KeyReminders => Set<KeyReminder>();
    public DbSet<KeyUsageDay> KeyUsageDays => Set<KeyUsageDay>();
    public DbSet<KeyScopeUsageDay> KeyScopeUsageDays => Set<KeyScopeUsageDay>();
    public DbSet<KeyScopeLastUse> KeyScopeLastUses => Set<KeyScopeLastUse>();
    public DbSet<OrganisationSetting> OrganisationSettings => Set<OrganisationSetting>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Timestamps are UTC DateTime: SQLite cannot order DateTimeOffset on the server.
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}

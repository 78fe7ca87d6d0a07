using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data.PostgreSQL;

/// <summary>The model on PostgreSQL, with its own migrations (Data/Migrations/PostgreSQL).</summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring, shared by every instance on the same database .</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}

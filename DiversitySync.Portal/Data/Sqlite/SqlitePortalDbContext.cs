using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Data.Sqlite;

/// <summary>The model on SQLite, with its own migrations (Data/Migrations/Sqlite).</summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options);

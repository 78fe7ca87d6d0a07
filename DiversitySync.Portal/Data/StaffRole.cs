using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>A named set of catalog permissions. A staff member holds the union of their roles' permissions.</summary>
public sealed class StaffRole : IdentityRole
{
    public const string Owner = "Owner";
    public const string Admin = "Admin";
    public const string ReadOnly = "ReadOnly";
    public static readonly IReadOnlyList<string> BuiltInNames = [Owner, Admin, ReadOnly];

    public string? Description { get; set; }

    /// <summary>
    /// Space-delimited scopes, for custom roles. Built-in roles follow the catalog (see <see cref="PermissionsOf"/>).
    /// </summary>
    public string Permissions { get; set; } = "";

    public bool IsBuiltIn => Name is Owner or Admin or ReadOnly;

    /// <summary>
    /// What only Owners hold by default: changing roles (so an Admin cannot promote anyone, themselves included) and
    /// the organisation's settings. A custom role can still list them.
    /// </summary>
    public static readonly IReadOnlySet<string> OwnerOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        ScopeCatalog.WriteRoles, ScopeCatalog.ReadSettings, ScopeCatalog.WriteSettings,
    };

    /// <summary>
    /// Owner holds every scope; Admin every scope but <see cref="OwnerOnly"/>; Read-only admin every read: and
    /// download: scope outside it. Custom roles hold what they list, as far as the catalog still has it.
    /// </summary>
    public IEnumerable<string> PermissionsOf(ScopeCatalog catalog) => Name switch
    {
        Owner => catalog.All.Select(s => s.Name),
        Admin => catalog.All.Select(s => s.Name).Where(s => !OwnerOnly.Contains(s)),
        ReadOnly => catalog.All.Where(s => s.Verb is ScopeVerbs.Read or ScopeVerbs.Download)
            .Select(s => s.Name).Where(s => !OwnerOnly.Contains(s)),
        _ => Permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(catalog.Contains),
    };

    /// <summary>How people read a role's name: "ReadOnly" is the Read-only admin.</summary>
    public static string LabelOf(string name) => name == ReadOnly ? "Read-only admin" : name;

    public static string DescriptionOf(string builtInName) => builtInName switch
    {
        Owner => "Every permission, including roles, settings and revoking all keys",
        Admin => "Every permission except changing roles and the organisation's settings",
        _ => "Read-only admin: every read and download permission but the settings",
    };
}

public sealed class StaffRoleConfiguration : IEntityTypeConfiguration<StaffRole>
{
    public void Configure(EntityTypeBuilder<StaffRole> role)
    {
        role.Property(r => r.Description).HasMaxLength(200);
        role.Property(r => r.Permissions).HasMaxLength(4000);
        // The built-in roles exist in every database; their permissions follow the catalog (PermissionsOf).
        role.HasData(StaffRole.BuiltInNames.Select(name => new StaffRole
        {
            Id = name.ToLowerInvariant(),
            Name = name,
            NormalizedName = name.ToUpperInvariant(),
            ConcurrencyStamp = name.ToLowerInvariant(),
            Description = StaffRole.DescriptionOf(name),
        }));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>
/// One of the organisation's settings, by name, as JSON: read from the database where it applies (every instance
/// sees a change at once), written only by its service with an audit event.
/// </summary>
public sealed class OrganisationSetting
{
    public const int ValueMaxLength = 4000;
    public const string KeyPolicy = "key-policy";

    public required string Name { get; init; }
    public required string Value { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class OrganisationSettingConfiguration : IEntityTypeConfiguration<OrganisationSetting>
{
    public void Configure(EntityTypeBuilder<OrganisationSetting> setting)
    {
        setting.HasKey(s => s.Name);
        setting.Property(s => s.Name).HasMaxLength(64);
        setting.Property(s => s.Value).HasMaxLength(OrganisationSetting.ValueMaxLength);
        // Every setting's row exists from the start, so that a change is always an update: two saves at once never
        // race to insert it.
        setting.HasData(new OrganisationSetting { Name = OrganisationSetting.KeyPolicy, Value = "{}" });
    }
}

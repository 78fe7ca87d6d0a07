using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>
/// That a key's reminder of one kind was published: its primary key is what makes each reminder happen once.
/// </summary>
public sealed class KeyReminder
{
    public required string KeyId { get; init; }
    public required string Kind { get; init; }
    public required DateTime SentAt { get; init; }
}

public sealed class KeyReminderConfiguration : IEntityTypeConfiguration<KeyReminder>
{
    public void Configure(EntityTypeBuilder<KeyReminder> reminder)
    {
        reminder.HasKey(r => new { r.KeyId, r.Kind });
        reminder.Property(r => r.KeyId).HasMaxLength(16);
        reminder.Property(r => r.Kind).HasMaxLength(16);
    }
}

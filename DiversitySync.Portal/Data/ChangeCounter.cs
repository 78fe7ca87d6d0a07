using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DiversitySync.Portal.Data;

/// <summary>
/// One row whose value goes up by one in every transaction that changes what authentication depends on
/// (keys, staff, roles, signing keys). Other processes poll it to learn that they must catch up. Incrementing
/// it takes the row's write lock, so revisions are handed out in commit order on SQLite and PostgreSQL alike.
/// </summary>
public sealed class ChangeCounter
{
    public const int SingletonId = 1;
    public int Id { get; set; }
    public long Value { get; set; }
}

public sealed class ChangeCounterConfiguration : IEntityTypeConfiguration<ChangeCounter>
{
    public void Configure(EntityTypeBuilder<ChangeCounter> counter)
    {
        counter.Property(c => c.Id).ValueGeneratedNever();
        counter.HasData(new ChangeCounter { Id = ChangeCounter.SingletonId, Value = 0 });
    }
}

public static class ChangeCounterExtensions
{
    /// <summary>Takes the next revision. Call inside the write transaction that makes the change.</summary>
    public static async Task<long> NextRevisionAsync(this PortalDbContext db,
        CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A revision must be taken inside the transaction that makes the " +
                "change.");
        }
        var counter = db.ChangeCounters.Where(c => c.Id == ChangeCounter.SingletonId);
        await counter.ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, c => c.Value + 1), cancellationToken);
        if (db is PostgreSQL.PostgresPortalDbContext postgres)
        {
            await PostgreSQL.ChangeNotifications.NotifyAsync(postgres, cancellationToken);
        }
        return await counter.Select(c => c.Value).SingleAsync(cancellationToken);
    }

    public static Task<long> CurrentRevisionAsync(this PortalDbContext db,
        CancellationToken cancellationToken = default) =>
        db.ChangeCounters.Where(c => c.Id == ChangeCounter.SingletonId).Select(c => c.Value)
            .SingleAsync(cancellationToken);
}

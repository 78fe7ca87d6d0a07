using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// The scheduled pass behind api_key.expiring (7 days and 1 day before) and api_key.expired. Each reminder is
/// written with a row keyed by key and kind in the same transaction as its event, so when several instances run
/// the pass at once, the second insert fails and its event is rolled back with it: one reminder per threshold.
/// A key that crosses two thresholds between passes (made with 3 days to live) gets only the more urgent one.
/// </summary>
public sealed class KeyExpiryReminders(PortalDbContext db, TimeProvider time)
{
    private static readonly (string Kind, TimeSpan Before)[] Thresholds = [("expired", TimeSpan.Zero),
        ("1d", TimeSpan.FromDays(1)), ("7d", TimeSpan.FromDays(7))];

    /// <summary>
    /// Keys that expired longer ago than this get no api_key.expired (a first run does not announce history).
    /// </summary>
    private static readonly TimeSpan ExpiredLookBack = TimeSpan.FromDays(1);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var horizon = now + TimeSpan.FromDays(7);
        var since = now - ExpiredLookBack;
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.RevokedAt == null && k.ExpiresAt != null && k.ExpiresAt <= horizon && k.ExpiresAt > since)
            .Select(k => new
            {
                k.KeyId,
                k.Name,
                k.ExpiresAt,
                Sent = db.KeyReminders.Where(r => r.KeyId == k.KeyId).Select(r => r.Kind).ToList()
            })
            .ToListAsync(cancellationToken);
        var published = 0;
        foreach (var key in keys)
        {
            var urgent = Array.FindIndex(Thresholds, t => key.ExpiresAt!.Value - t.Before <= now);
            if (urgent < 0 || key.Sent.Contains(Thresholds[urgent].Kind)) continue;
            if (await PublishOnceAsync(key.KeyId, key.Name, key.ExpiresAt!.Value, urgent, now, cancellationToken))
            {
                published++;
            }
        }
        return published;
    }

    private async Task<bool> PublishOnceAsync(string keyId, string name, DateTime expiresAt, int urgent, DateTime now,
        CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // This threshold's row is inserted whatever this pass read earlier: if another instance committed it since,
        // the insert is what fails, and this event is rolled back with it.
        var kindNow = Thresholds[urgent].Kind;
        db.KeyReminders.Add(new KeyReminder { KeyId = keyId, Kind = kindNow, SentAt = now });
        // The less urgent ones it passes over are marked too: a 7-day reminder must not follow a 1-day one.
        foreach (var (kind, _) in Thresholds[(urgent + 1)..])
        {
            if (!await db.KeyReminders.AnyAsync(r => r.KeyId == keyId && r.Kind == kind, cancellationToken))
            {
                db.KeyReminders.Add(new KeyReminder { KeyId = keyId, Kind = kind, SentAt = now });
            }
        }
        await db.PublishAsync(kindNow == "expired" ? WebhookEvents.ApiKeyExpired : WebhookEvents.ApiKeyExpiring,
            new
            {
                KeyId = keyId,
                Name = name,
                ExpiresAt = expiresAt,
                DaysLeft = kindNow switch { "7d" => 7, "1d" => 1, _ => 0 }
            }, now, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // another instance sent it first
        }
    }
}

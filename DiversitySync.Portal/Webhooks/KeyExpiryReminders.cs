using DiversitySync.Portal.Keys;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// The scheduled pass behind api_key.expiring (7 days and 1 day before) and api_key.expired. Each reminder is
/// written with a row keyed by key and kind in the same transaction as its event, so when several instances run
/// the pass at once, the second insert fails and its event is rolled back with it: one reminder per threshold.
/// A key that crosses two thresholds between passes (made with 3 days to live) gets only the more urgent one.
/// While the key policy expires unused keys (K-12), a key's reminders come before whichever is first: its expiry date
/// or the day it will have been unused that long; the latter's reminders are kept per such day, so a key used again
/// and later idle once more is reminded again.
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
        var unusedDays = (await KeyPolicyService.CurrentAsync(db, cancellationToken)).ExpireUnusedAfterDays;
        // Keys whose unused deadline (last use, or creation, plus the days) is after now and within the horizon.
        var idleAfter = unusedDays is { } d ? now.AddDays(-d) : DateTime.MaxValue;
        var idleBy = unusedDays is { } days ? horizon.AddDays(-days) : DateTime.MinValue;
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.RevokedAt == null && ((k.ExpiresAt != null && k.ExpiresAt <= horizon && k.ExpiresAt > since)
                || (k.ReplacedByKeyId == null && (k.ExpiresAt == null || k.ExpiresAt > now)
                    && (k.LastUsedAt ?? k.CreatedAt) > idleAfter && (k.LastUsedAt ?? k.CreatedAt) <= idleBy)))
            .Select(k => new
            {
                k.KeyId,
                k.Name,
                k.ExpiresAt,
                Active = k.LastUsedAt ?? k.CreatedAt,
                k.ReplacedByKeyId,
                Sent = db.KeyReminders.Where(r => r.KeyId == k.KeyId).Select(r => r.Kind).ToList()
            })
            .ToListAsync(cancellationToken);
        var published = 0;
        foreach (var key in keys)
        {
            var idleAt = unusedDays is { } u && key.ReplacedByKeyId is null ? key.Active.AddDays(u) : (DateTime?)null;
            var unused = idleAt is { } idle && (key.ExpiresAt is null || idle < key.ExpiresAt);
            var deadline = unused ? idleAt!.Value : key.ExpiresAt!.Value;
            // The unused deadline's "expired" is the policy's pass expiring the key, which then has an expiry date.
            var urgent = Array.FindIndex(Thresholds,
                t => deadline - t.Before <= now && !(unused && t.Before == TimeSpan.Zero));
            var suffix = unused
                ? "@" + deadline.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
                : "";
            if (urgent < 0 || key.Sent.Contains(Thresholds[urgent].Kind + suffix)) continue;
            if (await PublishOnceAsync(key.KeyId, key.Name, deadline, urgent, suffix, unused, now, cancellationToken))
            {
                published++;
            }
        }
        return published;
    }

    private async Task<bool> PublishOnceAsync(string keyId, string name, DateTime expiresAt, int urgent,
        string suffix, bool unused, DateTime now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // This threshold's row is inserted whatever this pass read earlier: if another instance committed it since,
        // the insert is what fails, and this event is rolled back with it.
        var kindNow = Thresholds[urgent].Kind;
        db.KeyReminders.Add(new KeyReminder { KeyId = keyId, Kind = kindNow + suffix, SentAt = now });
        // The less urgent ones it passes over are marked too: a 7-day reminder must not follow a 1-day one.
        foreach (var kind in Thresholds[(urgent + 1)..].Select(t => t.Kind + suffix))
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
                DaysLeft = kindNow switch { "7d" => 7, "1d" => 1, _ => 0 },
                // Expiring because it has not been used (the key policy), not because of its expiry date.
                Unused = unused,
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

using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Staff;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// The API shared secret: made on first use, kept encrypted with Data Protection, revealed only to holders of
/// write:webhooks (each reveal audited), and rotatable: the previous secret keeps signing for <see cref="Overlap"/>.
/// </summary>
public sealed class WebhookSecrets(PortalDbContext db, ActorAccess access, IDataProtectionProvider dataProtection, TimeProvider time)
{
    public static readonly TimeSpan Overlap = TimeSpan.FromHours(24);

    private readonly IDataProtector protector = dataProtection.CreateProtector("DiversitySync.Portal.WebhookSecrets");

    /// <summary>The current secret, made now if there is none yet. Audited.</summary>
    public async Task<Outcome<string>> RevealAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await access.CheckAsync(db, actor, ScopeCatalog.WriteWebhooks, cancellationToken) is { } refused) return refused;
        var now = time.GetUtcNow().UtcDateTime;
        var current = await CurrentAsync(now, cancellationToken);
        db.Record(actor, AuditActions.WebhookSecretRevealed, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return protector.Unprotect(current.ProtectedSecret);
    }

    /// <summary>A new current secret; the one before signs alongside it for 24 hours. Gives the new one. Audited.</summary>
    public async Task<Outcome<string>> RotateAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await access.CheckAsync(db, actor, ScopeCatalog.WriteWebhooks, cancellationToken) is { } refused) return refused;
        var now = time.GetUtcNow().UtcDateTime;
        (await CurrentAsync(now, cancellationToken)).RetiresAt = now + Overlap;
        var secret = WebhookSigning.NewSecret();
        db.WebhookSecrets.Add(new WebhookSecret { ProtectedSecret = protector.Protect(secret), CreatedAt = now });
        db.Record(actor, AuditActions.WebhookSecretRotated, now, detail: $"the previous secret signs until {Dates.Instant(now + Overlap)}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return secret;
    }

    /// <summary>For the dispatcher: every secret that signs now, the current one first.</summary>
    internal async Task<IReadOnlyList<string>> SigningAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // A write only the first time: every delivery pass reads here, and must not queue for the database's writer.
        if (!await db.WebhookSecrets.AnyAsync(s => s.RetiresAt == null, cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await CurrentAsync(now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var rows = await db.WebhookSecrets.AsNoTracking().Where(s => s.RetiresAt == null || s.RetiresAt > now)
            .OrderBy(s => s.RetiresAt != null).ThenByDescending(s => s.Id).Select(s => s.ProtectedSecret).ToListAsync(cancellationToken);
        return [.. rows.Select(protector.Unprotect)];
    }

    private async Task<WebhookSecret> CurrentAsync(DateTime now, CancellationToken cancellationToken)
    {
        if (await db.WebhookSecrets.OrderByDescending(s => s.Id).FirstOrDefaultAsync(s => s.RetiresAt == null, cancellationToken) is { } current) return current;
        var made = new WebhookSecret { ProtectedSecret = protector.Protect(WebhookSigning.NewSecret()), CreatedAt = now };
        db.WebhookSecrets.Add(made);
        return made;
    }
}

using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// The API shared secret: made on first use, kept encrypted with Data Protection, revealed only to holders of
/// write:webhooks (each reveal audited), and rotatable: the previous secret keeps signing for <see cref="Overlap"/>.
/// </summary>
public sealed class WebhookSecrets(PortalDbContext db, UnitOfWork writes, IDataProtectionProvider dataProtection,
    TimeProvider time)
{
    public static readonly TimeSpan Overlap = TimeSpan.FromHours(24);

    private readonly IDataProtector protector = dataProtection.CreateProtector("DiversitySync.Portal.WebhookSecrets");

    /// <summary>The current secret, made now if there is none yet. Audited.</summary>
    public Task<Outcome<string>> RevealAsync(Actor actor, CancellationToken cancellationToken = default) =>
        writes.RunAsync<string>(actor, ScopeCatalog.WriteWebhooks, async change =>
        {
            var current = await CurrentAsync(change.Now, cancellationToken);
            change.Audit(AuditActions.WebhookSecretRevealed);
            return protector.Unprotect(current.ProtectedSecret);
        }, cancellationToken);

    /// <summary>
    /// A new current secret; the one before signs alongside it for 24 hours. Gives the new one. Audited.
    /// </summary>
    public Task<Outcome<string>> RotateAsync(Actor actor, CancellationToken cancellationToken = default) =>
        writes.RunAsync<string>(actor, ScopeCatalog.WriteWebhooks, async change =>
        {
            (await CurrentAsync(change.Now, cancellationToken)).RetiresAt = change.Now + Overlap;
            var secret = WebhookSigning.NewSecret();
            db.WebhookSecrets.Add(new WebhookSecret
            {
                ProtectedSecret = protector.Protect(secret),
                CreatedAt = change.Now
            });
            change.Audit(AuditActions.WebhookSecretRotated,
                detail: $"the previous secret signs until {Dates.Instant(change.Now + Overlap)}");
            return secret;
        }, cancellationToken);

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
            .OrderBy(s => s.RetiresAt != null).ThenByDescending(s => s.Id).Select(s => s.ProtectedSecret)
                .ToListAsync(cancellationToken);
        return [.. rows.Select(protector.Unprotect)];
    }

    private async Task<WebhookSecret> CurrentAsync(DateTime now, CancellationToken cancellationToken)
    {
        if (await db.WebhookSecrets.OrderByDescending(s => s.Id).FirstOrDefaultAsync(s => s.RetiresAt == null,
            cancellationToken) is { } current)
        {
            return current;
        }
        var made = new WebhookSecret
        {
            ProtectedSecret = protector.Protect(WebhookSigning.NewSecret()),
            CreatedAt = now
        };
        db.WebhookSecrets.Add(made);
        return made;
    }
}

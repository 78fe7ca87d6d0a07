using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// The jti deny-list (S-02): in memory, so /v1 and introspection consult it without a query, and in the database,
/// so every instance learns of a revocation through the change feed. An entry ends when its token would have
/// expired: it is dropped from memory then, and from the database by the next revocation.
/// </summary>
public sealed class RevokedAccessTokens(TimeProvider time) : IStoreChangeListener
{
    /// <summary>
    /// A jti is a random 128-bit value in base64url (22 characters); anything longer is not one of ours.
    /// </summary>
    public const int MaxJtiLength = 64;

    private readonly ConcurrentDictionary<string, DateTime> revoked = new(StringComparer.Ordinal);

    public bool IsRevoked(string jti)
    {
        if (!revoked.TryGetValue(jti, out var expires)) return false;
        if (expires > time.GetUtcNow().UtcDateTime) return true;
        revoked.TryRemove(jti, out _);
        return false;
    }

    /// <summary>
    /// Revokes one token of the calling key; revoking it again changes nothing. The client authenticated with the key
    /// the token was issued to (RFC 7009 §2.1): that is the credential, whatever the key may do otherwise.
    /// </summary>
    public async Task RevokeAsync(UnitOfWork writes, string jti, string keyId, DateTime expiresAt, Actor client,
        CancellationToken cancellationToken)
    {
        if (expiresAt <= time.GetUtcNow().UtcDateTime || jti.Length > MaxJtiLength) return; // nothing left to refuse
        await writes.RunWithCredentialAsync<bool>(client, async change =>
        {
            var db = change.Db;
            if (await db.RevokedAccessTokens.AnyAsync(t => t.Jti == jti, cancellationToken))
            {
                change.Unchanged();
                return false;
            }
            await db.RevokedAccessTokens.Where(t => t.ExpiresAt <= change.Now).ExecuteDeleteAsync(cancellationToken);
            db.RevokedAccessTokens.Add(new RevokedAccessToken
            {
                Jti = jti,
                KeyId = keyId,
                ExpiresAt = expiresAt,
                RevokedAt = change.Now,
                Revision = await change.RevisionAsync(cancellationToken),
            });
            change.Audit(AuditActions.TokenRevoked, AuditTargets.Key, keyId, $"jti {jti}");
            return true;
        }, cancellationToken);
        // At once on this instance; the change feed brings it to the others.
        revoked[jti] = expiresAt;
    }

    public async Task CatchUpAsync(PortalDbContext db, long sinceRevision, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var changed = db.RevokedAccessTokens.AsNoTracking().Where(t => t.Revision > sinceRevision && t.ExpiresAt > now)
            .Select(t => new { t.Jti, t.ExpiresAt }).AsAsyncEnumerable();
        await foreach (var token in changed.WithCancellation(cancellationToken)) revoked[token.Jti] = token.ExpiresAt;
        foreach (var (jti, expires) in revoked)
        {
            if (expires <= now) revoked.TryRemove(jti, out _);
        }
    }
}

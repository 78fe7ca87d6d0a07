using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Keys;

/// <summary>Who reported keys as leaked; the audit events and webhooks say so.</summary>
/// <param name="Reason">The revocation reason shown with the key: "reported leaked", "leaked".</param>
public sealed record LeakReport(string Reason, string ReportedBy, string? ClientIp, string? CorrelationId);

/// <summary>
/// A string reported as a leaked key, and where it was found (a secret scanner gives the URL and source).
/// </summary>
public sealed record KeySighting(string Presented, string? Url = null, string? Source = null)
{
    public override string ToString() => $"KeySighting {{ Url = {Url}, Source = {Source} }}";
}

/// <summary>
/// What became of one presented string: whether it is one of our keys, and whether this report revoked it.
/// </summary>
public sealed record LeakedKey(KeySighting Sighting, bool IsOurs, bool RevokedNow)
{
    public override string ToString() => $"LeakedKey {{ IsOurs = {IsOurs}, RevokedNow = {RevokedNow} }}";
}

public sealed partial class ApiKeyService
{
    /// <summary>
    /// Revokes each presented key that is one of ours and still active, in one transaction. Holding a key is all the
    /// authority this needs: whoever holds it could use it anyway (S-03, S-04). A key is ours only if its whole hash
    /// matches, compared in constant time; the same key twice is revoked once. Gives one answer per distinct string.
    /// </summary>
    public async Task<IReadOnlyList<LeakedKey>> RevokeLeakedAsync(
        IReadOnlyCollection<KeySighting> sightings, LeakReport report, CancellationToken cancellationToken = default)
    {
        var distinct = sightings.DistinctBy(s => s.Presented, StringComparer.Ordinal).ToList();
        var parsed = distinct.Select(s => ApiKeyFormat.Parse(s.Presented)).ToList();
        var ids = parsed.OfType<ParsedApiKey>().Select(p => p.KeyId).Distinct().ToList();
        var reporter = new Actor(Actor.SystemType, null, report.ReportedBy, report.ClientIp, report.CorrelationId);
        var answered = await writes.RunWithCredentialAsync<IReadOnlyList<LeakedKey>>(reporter, async change =>
        {
            var stored = await db.ApiKeys.Where(k => ids.Contains(k.KeyId))
                .Select(k => new { k.KeyId, k.SecretHash, k.RevokedAt, k.ExpiresAt })
                .ToDictionaryAsync(k => k.KeyId, StringComparer.Ordinal, cancellationToken);
            var answers = distinct.Select((sighting, i) =>
            {
                var key = parsed[i] is { } p ? stored.GetValueOrDefault(p.KeyId) : null;
                var ours = key is not null
                    && CryptographicOperations.FixedTimeEquals(ApiKeyFormat.Hash(sighting.Presented), key.SecretHash);
                return new LeakedKey(sighting, ours, ours
                    && AccessRules.IsLive(key!.RevokedAt, key.ExpiresAt, change.Now));
            }).ToList();
            var revoking = answers.Where(a => a.RevokedNow)
                .ToDictionary(a => ApiKeyFormat.Parse(a.Sighting.Presented)!.Value.KeyId, a => a.Sighting);
            if (revoking.Count == 0)
            {
                change.Unchanged();
                return answers;
            }
            var revokingIds = revoking.Keys.ToList();
            var revision = await change.RevisionAsync(cancellationToken);
            await Revoke(db.ApiKeys.Where(k => revokingIds.Contains(k.KeyId) && k.RevokedAt == null), reporter,
                change.Now, report.Reason, revision, cancellationToken);
            foreach (var (keyId, sighting) in revoking)
            {
                change.Audit(AuditActions.KeyRevoked, AuditTargets.Key, keyId, Describe(report, sighting));
            }
            await change.PublishAllAsync(WebhookEvents.ApiKeyRevoked,
                [.. revoking.Select(r => Revoked(r.Key, RevokedBecause.Leaked,
                    Describe(report, r.Value)))], cancellationToken);
            return answers;
        }, cancellationToken);
        return answered.Value!;
    }

    /// <summary>
    /// "leaked: found at https://github.com/… (commit)": the reason and, from a scanner, where the key was found.
    /// </summary>
    private static string Describe(LeakReport report, KeySighting sighting) =>
        sighting.Url is null
            ? report.Reason
            : $"{report.Reason}: found at {EchoedInput.Clean(sighting.Url, 300)}" + (sighting.Source is null ? "" : $" ({EchoedInput.Clean(sighting.Source, 40)})");
}

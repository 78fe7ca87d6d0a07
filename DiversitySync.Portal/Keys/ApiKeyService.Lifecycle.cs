using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Keys;

/// <summary>Rolling a key with a grace period, and changing where a key may be used from.</summary>
public sealed partial class ApiKeyService
{
    /// <summary>The longest a rolled key keeps working beside its successor: 7 days.</summary>
    public const int MaxGraceSeconds = 7 * 24 * 60 * 60;

    /// <summary>
    /// Replaces a key by a new one with the same name, description, environment, scopes, field limits, IP allowlist
    /// and expiry, created by whoever rolls it and within their ceiling (a scope they do not hold is refused and
    /// nothing changes). The old key keeps working for <paramref name="graceSeconds"/>, never past its own expiry,
    /// then is refused as replaced. A revoked, expired or already replaced key cannot be rolled; of two rolls at once
    /// exactly one succeeds. Gives the new key, its secret shown once.
    /// </summary>
    public Task<Outcome<NewApiKey>> RollAsync(string keyId, int graceSeconds, Actor actor,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<NewApiKey>(actor, ScopeCatalog.WriteApiKeys, async change =>
        {
            if (graceSeconds is < 0 or > MaxGraceSeconds)
            {
                return Refusal.Invalid(new Dictionary<string, List<string>>
                {
                    ["graceSeconds"] = [$"The grace period is from 0 to {MaxGraceSeconds} seconds (7 days)."]
                });
            }
            if (!ApiKeyFormat.IsKeyId(keyId)) return ApiKeyQueries.NoSuchKey(keyId);
            var old = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyId == keyId, cancellationToken);
            if (old is null) return ApiKeyQueries.NoSuchKey(keyId);
            var now = change.Now;
            if (NotRollable(old, now) is { } refused) return refused;

            var successor = new NewApiKeyRequest(old.Name, old.Description, old.Environment.ToCode(),
                old.Scopes.Split(' '), old.ExpiresAt, KeyFields.FromJson(old.Fields).ByResource,
                IpAllowlist.FromStored(old.AllowedIps)?.Entries);
            // The CLI acts for nobody: the new key is then its predecessor's creator's, as theirs was.
            var created = await CreateInAsync(change, successor, change.Access.StaffId is null ? old.CreatedById : null,
                replaces: keyId, cancellationToken);
            if (created.Value is not { } made) return created;

            var stopsAt = old.ExpiresAt is { } expiry && expiry < now.AddSeconds(graceSeconds)
                ? expiry
                : now.AddSeconds(graceSeconds);
            var revision = await change.RevisionAsync(cancellationToken);
            // Conditional on the state read above: of two rolls (or a roll and a revoke) at once, one wins whole.
            if (await db.ApiKeys.Where(k => k.KeyId == keyId && k.RevokedAt == null && k.ReplacedByKeyId == null
                        && k.ExpiresAt == old.ExpiresAt)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(k => k.ReplacedByKeyId, made.Key.KeyId)
                        .SetProperty(k => k.ExpiresAt, stopsAt)
                        .SetProperty(k => k.Revision, revision), cancellationToken) == 0)
            {
                return Refusal.Conflict($"Key {keyId} changed meanwhile (rolled or revoked): look again.");
            }
            change.Audit(AuditActions.KeyRolled, AuditTargets.Key, keyId,
                $"replaced by {made.Key.KeyId}; works until {Dates.Instant(stopsAt)}");
            await change.PublishAsync(WebhookEvents.ApiKeyRolled, new
            {
                KeyId = keyId,
                ReplacedBy = made.Key.KeyId,
                old.Name,
                ExpiresAt = stopsAt,
            }, cancellationToken);
            return new NewApiKey((await queries.ViewAsync(made.Key.KeyId, cancellationToken))!, made.Plaintext);
        }, cancellationToken);

    private static Refusal? NotRollable(ApiKey key, DateTime now) =>
        key.RevokedAt is not null ? Refusal.Conflict($"Key {key.KeyId} is revoked: create a new key instead.")
        : key.ReplacedByKeyId is { } successor
            ? Refusal.Conflict($"Key {key.KeyId} was already rolled: its replacement is {successor}.")
        : key.ExpiresAt <= now ? Refusal.Conflict($"Key {key.KeyId} has expired: create a new key instead.")
        : null;

    /// <summary>
    /// Sets where a key may be used from (an empty list: anywhere), audited with before and after. Only a key that
    /// still works.
    /// </summary>
    public Task<Outcome<ApiKeyView>> SetAllowedIpsAsync(string keyId, IReadOnlyList<string>? entries, Actor actor,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<ApiKeyView>(actor, ScopeCatalog.WriteApiKeys, async change =>
        {
            if (!ApiKeyFormat.IsKeyId(keyId)) return ApiKeyQueries.NoSuchKey(keyId);
            var errors = new Dictionary<string, List<string>>();
            var stored = AllowedIps(entries, errors)?.ToStored();
            if (errors.Count > 0) return Refusal.Invalid(errors);
            var before = await db.ApiKeys.Where(k => k.KeyId == keyId)
                .Select(k => new { k.AllowedIps, k.RevokedAt, k.ExpiresAt, k.Environment, k.CreatedAt, k.HoldsWriteScope })
                .SingleOrDefaultAsync(cancellationToken);
            if (before is null) return ApiKeyQueries.NoSuchKey(keyId);
            // K-12: a key holding a write: scope keeps an allowlist while the policy asks for one.
            if (await PolicyRefusalAsync("allowedIps", before.Environment, before.CreatedAt, before.ExpiresAt,
                    before.HoldsWriteScope, IpAllowlist.FromStored(stored), cancellationToken) is { } breach)
            {
                return breach;
            }
            if (!AccessRules.IsLive(before.RevokedAt, before.ExpiresAt, change.Now))
            {
                return Refusal.Conflict($"Key {keyId} no longer works: its IP allowlist cannot change.");
            }
            if (before.AllowedIps == stored)
            {
                change.Unchanged();
                return (await queries.ViewAsync(keyId, cancellationToken))!;
            }
            var revision = await change.RevisionAsync(cancellationToken);
            if (await db.ApiKeys.Where(k => k.KeyId == keyId && k.RevokedAt == null && k.AllowedIps == before.AllowedIps)
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.AllowedIps, stored)
                        .SetProperty(k => k.Revision, revision), cancellationToken) == 0)
            {
                return Refusal.Conflict($"Key {keyId} changed meanwhile: look again and retry.");
            }
            change.Audit(AuditActions.KeyAllowedIpsChanged, AuditTargets.Key, keyId,
                $"from {before.AllowedIps ?? "anywhere"} → {stored ?? "anywhere"}");
            return (await queries.ViewAsync(keyId, cancellationToken))!;
        }, cancellationToken);

    /// <summary>The most keys one pass expires; the next pass takes the rest.</summary>
    private const int UnusedPerPass = 500;

    /// <summary>
    /// K-12: expires the usable keys that the key policy's <see cref="KeyPolicy.ExpireUnusedAfterDays"/> finds unused
    /// (last used that long ago, or never and made that long ago), one audit event each; their api_key.expired follows
    /// from the reminders as for any expiry. Nothing while the policy has no such rule. Gives how many.
    /// </summary>
    public Task<Outcome<int>> ExpireUnusedAsync(Actor actor, CancellationToken cancellationToken = default) =>
        writes.RunAsync<int>(actor, ScopeCatalog.WriteApiKeys, async change =>
        {
            var now = change.Now;
            if ((await KeyPolicyService.CurrentAsync(db, cancellationToken)).ExpireUnusedAfterDays is not { } days)
            {
                change.Unchanged();
                return 0;
            }
            var unused = db.ApiKeys.Where(ApiKey.LiveAt(now)).Where(k => k.ReplacedByKeyId == null)
                .Where(ApiKeyQueries.UsedFilter(TimeFilter.Before(days), now));
            // A use this instance has not written yet counts: such a key is not unused.
            List<string> keyIds = [.. (await unused.OrderBy(k => k.KeyId).Select(k => k.KeyId).Take(UnusedPerPass)
                .ToListAsync(cancellationToken)).Where(id => !queries.HasPendingUse(id))];
            if (keyIds.Count == 0)
            {
                change.Unchanged();
                return 0;
            }
            var revision = await change.RevisionAsync(cancellationToken);
            await unused.Where(k => keyIds.Contains(k.KeyId)).ExecuteUpdateAsync(s => s
                .SetProperty(k => k.ExpiresAt, now).SetProperty(k => k.Revision, revision), cancellationToken);
            foreach (var keyId in keyIds)
            {
                change.Audit(AuditActions.KeyExpiredUnused, AuditTargets.Key, keyId,
                    $"unused for {days} days: expired by the key policy");
            }
            return keyIds.Count;
        }, cancellationToken);
}

/// <summary>Runs <see cref="ApiKeyService.ExpireUnusedAsync"/> every <see cref="KeysOptions.PolicyIntervalMinutes"/>.</summary>
public sealed class UnusedKeyExpiryJob(IServiceScopeFactory scopes, IOptions<KeysOptions> options, TimeProvider time,
    ILogger<UnusedKeyExpiryJob> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.InScopeEveryAsync(TimeSpan.FromMinutes(options.Value.PolicyIntervalMinutes), time, scopes, logger,
            "Expiring unused keys failed", async (services, cancellationToken) =>
            {
                var expired = await services.GetRequiredService<ApiKeyService>().ExpireUnusedAsync(Actor.System,
                    cancellationToken);
                if (expired.Value > 0) logger.LogInformation("The key policy expired {Count} unused keys.", expired.Value);
            }, stoppingToken);
}

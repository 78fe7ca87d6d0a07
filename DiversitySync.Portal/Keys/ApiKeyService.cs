using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Keys;

/// <summary>
/// What a person or an integration asks for when creating a key. Nothing else can be bound (no mass assignment).
/// </summary>
public sealed record NewApiKeyRequest(
    string? Name,
    string? Description,
    string? Environment,
    IReadOnlyList<string>? Scopes,
    DateTime? ExpiresAt,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Fields = null,
    IReadOnlyList<string>? AllowedIps = null);

/// <summary>
/// The only writer of keys. Every rule about a key lives here: who may create and revoke (the actor's permissions as
/// they are inside the write transaction, so a concurrent demotion cannot slip through), the permission ceiling,
/// hashing, and every kind of revocation. Each change commits with its audit event and then updates the <see
/// cref="KeyRegistry"/>.
/// </summary>
public sealed partial class ApiKeyService(
    PortalDbContext db,
    ScopeCatalog catalog,
    ActorAccess access,
    UnitOfWork writes,
    ApiKeyQueries queries)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3660);

    /// <summary>What the Owner types to confirm Revoke all.</summary>
    public const string RevokeAllPhrase = "revoke all keys";

    public const string CreatorArchivedReason = "creator archived";

    /// <summary>
    /// Creates a key owned by the acting staff member, or by the creator of the acting key (whose new key can hold
    /// only scopes the acting token may use now). The admin CLI names the owner with <paramref name="ownerId"/>.
    /// An invalid request is refused with its problems by field.
    /// </summary>
    public Task<Outcome<NewApiKey>> CreateAsync(
        NewApiKeyRequest request, Actor actor, string? ownerId = null, CancellationToken cancellationToken = default) =>
        writes.RunAsync<NewApiKey>(actor, ScopeCatalog.WriteApiKeys,
            change => CreateInAsync(change, request, ownerId, replaces: null, cancellationToken), cancellationToken);

    /// <summary>A new key inside the caller's change: a create, or the successor of a key being rolled.</summary>
    private async Task<Outcome<NewApiKey>> CreateInAsync(Change change, NewApiKeyRequest request, string? ownerId,
        string? replaces, CancellationToken cancellationToken)
    {
        var actor = change.Actor;
        var acting = change.Access;
        var errors = Validate(request, change.Now, out var name, out var environment, out var scopes,
            out var fields, out var allowedIps);
        if (errors.Count > 0) return Refusal.Invalid(errors);
        if (ownerId is not null && acting.StaffId is not null && ownerId != acting.StaffId)
        {
            return Refusal.Forbidden("A key belongs to the person who creates it.");
        }
        var owner = acting.StaffId is null
            ? ownerId is null ? null : await access.OfStaffAsync(db, ownerId, cancellationToken)
            : acting;
        if (owner?.StaffId is not { } creatorId)
        {
            return Refusal.Invalid(new Dictionary<string, List<string>>
            {
                ["creator"] = ["Only active staff " +
                "members can own API keys."]
            });
        }
        foreach (var scope in scopes)
        {
            if (!owner.Ceiling.Contains(scope))
            {
                Add(errors, "scopes", $"You cannot grant {scope}: you do not hold that permission.");
            }
            else if (acting.ThroughKey && !acting.Can(scope))
            {
                Add(errors, "scopes", $"You cannot grant {scope}: the calling key does not hold it.");
            }
        }
        CheckFieldCeiling(fields, scopes, owner.Ceiling, actor, errors);
        var expiresAt = request.ExpiresAt is { } expiry ? AsUtc(expiry) : (DateTime?)null;
        var policy = await KeyPolicyService.CurrentAsync(db, cancellationToken);
        foreach (var (field, message) in policy.Breaches(environment, change.Now, expiresAt,
            ScopeVerbs.HoldsWrite(scopes), allowedIps))
        {
            Add(errors, field, message);
        }
        if (errors.Count > 0) return Refusal.Invalid(errors);

        var keyId = ApiKeyFormat.NewKeyId();
        while (await db.ApiKeys.AnyAsync(k => k.KeyId == keyId, cancellationToken)) keyId = ApiKeyFormat.NewKeyId();
        var plaintext = ApiKeyFormat.Create(environment, keyId);
        var key = new ApiKey
        {
            KeyId = keyId,
            Environment = environment,
            Name = name,
            NameForSearch = name.ToLowerInvariant(),
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            SecretHash = ApiKeyFormat.Hash(plaintext),
            Scopes = string.Join(' ', scopes),
            HoldsWriteScope = ScopeVerbs.HoldsWrite(scopes),
            Fields = fields.ToJson(),
            Access = KeyAccesses.Of(scopes, owner.Ceiling),
            CreatedAt = change.Now,
            ScopesIdleSince = change.Now,
            CreatedById = creatorId,
            CreatedByKeyId = actor.Type == Actor.KeyType ? actor.Id : null,
            ExpiresAt = expiresAt,
            ReplacesKeyId = replaces,
            AllowedIps = allowedIps?.ToStored(),
            Revision = await change.RevisionAsync(cancellationToken),
        };
        db.ApiKeys.Add(key);
        change.Audit(AuditActions.KeyCreated, AuditTargets.Key, keyId,
            $"{environment.ToCode()} key \"{name}\" with {key.Scopes}"
            + (fields.IsRestricted ? $"; fields {fields.Describe(catalog)}" : "")
            + (key.AllowedIps is { } ips ? $"; from {ips}" : "")
            + (replaces is not null ? $"; rolled from {replaces}" : ""));
        await change.PublishAsync(WebhookEvents.ApiKeyCreated, new
        {
            KeyId = keyId,
            Name = name,
            Environment = environment.ToCode(),
            Scopes = scopes,
            CreatedBy = creatorId,
            key.ExpiresAt,
            Replaces = replaces,
        }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new NewApiKey((await queries.ViewAsync(keyId, cancellationToken))!, plaintext);
    }

    /// <summary>The organisation's key policy, as it applies to the keys the actor may create (the drawer shows it).</summary>
    public async Task<Outcome<KeyPolicy>> NewKeyPolicyAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(db, actor, ScopeCatalog.WriteApiKeys, cancellationToken);
        if (allowed.Refusal is { } refused) return refused;
        return await KeyPolicyService.CurrentAsync(db, cancellationToken);
    }

    /// <summary>
    /// The scopes the actor could give a new key now: what they hold (for a key: what it and its creator both hold).
    /// </summary>
    public async Task<Outcome<IReadOnlySet<string>>> GrantableScopesAsync(Actor actor,
        CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(db, actor, ScopeCatalog.WriteApiKeys, cancellationToken);
        if (allowed.Value is not { } acting) return allowed.Refusal!;
        IReadOnlySet<string> grantable = actor.Type == Actor.KeyType ? acting.Permissions : acting.Ceiling;
        return Outcome<IReadOnlySet<string>>.Of(grantable);
    }

    /// <summary>
    /// Immediate and irreversible; the row stays, with who revoked it and why. Gives the key as revoked.
    /// </summary>
    public Task<Outcome<ApiKeyView>> RevokeAsync(string keyId, Actor actor, string? reason = null,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<ApiKeyView>(actor, ScopeCatalog.WriteApiKeys, async change =>
        {
            if (!ApiKeyFormat.IsKeyId(keyId)) return ApiKeyQueries.NoSuchKey(keyId);
            reason = string.IsNullOrWhiteSpace(reason) ? null : EchoedInput.Clean(reason.Trim(), 200);
            // Conditional update: of two concurrent revokes exactly one wins, on any provider.
            var revision = await change.RevisionAsync(cancellationToken);
            if (await Revoke(db.ApiKeys.Where(k => k.KeyId == keyId && k.RevokedAt == null), actor, change.Now, reason,
                revision, cancellationToken) == 0)
            {
                return await db.ApiKeys.AnyAsync(k => k.KeyId == keyId, cancellationToken)
                    ? Refusal.Conflict($"Key {keyId} was already revoked. Revocation cannot be undone.")
                    : ApiKeyQueries.NoSuchKey(keyId);
            }
            change.Audit(AuditActions.KeyRevoked, AuditTargets.Key, keyId, reason);
            await change.PublishAsync(WebhookEvents.ApiKeyRevoked, Revoked(keyId, RevokedBecause.Manual, reason),
                cancellationToken);
            return (await queries.ViewAsync(keyId, cancellationToken))!;
        }, cancellationToken);

    /// <summary>
    /// The Owner's emergency stop: revokes every key of the organisation that is not revoked yet, in one
    /// transaction, once <paramref name="confirmation"/> is <see cref="RevokeAllPhrase"/>. Gives how many.
    /// </summary>
    public Task<Outcome<int>> RevokeAllAsync(Actor actor, string? confirmation,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<int>(actor, OwnerWithWriteApiKeys, async change =>
        {
            if (!string.Equals(confirmation?.Trim(), RevokeAllPhrase, StringComparison.OrdinalIgnoreCase))
            {
                return Refusal.Invalid($"Nothing was revoked: type \"{RevokeAllPhrase}\" to confirm.");
            }
            const string reason = "all keys revoked by an Owner";
            var keyIds = await db.ApiKeys.Where(k => k.RevokedAt == null).Select(k => k.KeyId)
                .ToListAsync(cancellationToken);
            var count = await Revoke(db.ApiKeys.Where(k => k.RevokedAt == null), actor, change.Now, reason,
                await change.RevisionAsync(cancellationToken), cancellationToken);
            await change.PublishAllAsync(WebhookEvents.ApiKeyRevoked,
                [.. keyIds.Select(id => Revoked(id, RevokedBecause.RevokeAll, reason))], cancellationToken);
            change.Audit(AuditActions.KeysRevokedAll, detail: $"{count} active keys revoked: {reason}");
            return count;
        }, cancellationToken);

    private static Refusal? OwnerWithWriteApiKeys(Access acting) =>
        acting.IsOwner && acting.Can(ScopeCatalog.WriteApiKeys) ? null : Refusal.Forbidden("Only an Owner can revoke " +
            "every key at once.");

    /// <summary>
    /// Inside the caller's change (archiving a staff member): revokes every active key they created, one audit
    /// event each, and gives how many. The caller has checked its actor.
    /// </summary>
    internal async Task<int> RevokeCreatedByAsync(string creatorId, Change change, CancellationToken cancellationToken)
    {
        var active = db.ApiKeys.Where(k => k.CreatedById == creatorId).Where(ApiKey.LiveAt(change.Now));
        var keyIds = await active.Select(k => k.KeyId).ToListAsync(cancellationToken);
        await Revoke(active, change.Actor, change.Now, CreatorArchivedReason,
            await change.RevisionAsync(cancellationToken), cancellationToken);
        foreach (var keyId in keyIds)
        {
            change.Audit(AuditActions.KeyRevoked, AuditTargets.Key, keyId, CreatorArchivedReason);
        }
        await change.PublishAllAsync(WebhookEvents.ApiKeyRevoked,
            [.. keyIds.Select(id => Revoked(id, RevokedBecause.CreatorArchived, null))], cancellationToken);
        return keyIds.Count;
    }

    /// <summary>
    /// The reason an api_key.revoked event gives: manual, creator_archived, revoke_all or leaked (expiry is
    /// api_key.expired).
    /// </summary>
    public enum RevokedBecause { Manual, CreatorArchived, RevokeAll, Leaked }

    internal static object Revoked(string keyId, RevokedBecause because, string? note) => new
    {
        KeyId = keyId,
        Reason = because switch
        {
            RevokedBecause.CreatorArchived => "creator_archived",
            RevokedBecause.RevokeAll => "revoke_all",
            RevokedBecause.Leaked => "leaked",
            _ => "manual",
        },
        Note = note,
    };

    private static Task<int> Revoke(IQueryable<ApiKey> keys, Actor actor, DateTime now, string? reason, long revision,
        CancellationToken cancellationToken) =>
        keys.ExecuteUpdateAsync(s => s
            .SetProperty(k => k.RevokedAt, now)
            .SetProperty(k => k.RevokedBy, actor.Name)
            .SetProperty(k => k.RevocationReason, reason)
            .SetProperty(k => k.Revision, revision), cancellationToken);

}

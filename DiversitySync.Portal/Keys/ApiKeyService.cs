using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Staff;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Keys;

/// <summary>What a person or an integration asks for when creating a key. Nothing else can be bound (no mass assignment).</summary>
public sealed record NewApiKeyRequest(
    string? Name,
    string? Description,
    string? Environment,
    IReadOnlyList<string>? Scopes,
    DateTime? ExpiresAt);

/// <summary>Either the new key (plaintext included, once) or the problems, by field name.</summary>
public sealed record CreateApiKeyResult(NewApiKey? Created, IReadOnlyDictionary<string, string[]> Errors)
{
    public static CreateApiKeyResult Invalid(Dictionary<string, List<string>> errors) =>
        new(null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}

public enum RevokeOutcome
{
    Revoked,
    NotFound,
    AlreadyRevoked,
}

/// <summary>
/// The only writer of keys. Every rule about a key lives here: the permission ceiling (checked against the
/// creator's permissions inside the write transaction, so a concurrent demotion cannot slip through),
/// hashing, and revocation. Each change commits with its audit event and then updates the <see cref="KeyRegistry"/>.
/// </summary>
public sealed partial class ApiKeyService(
    PortalDbContext db,
    ScopeCatalog catalog,
    StaffPermissions permissions,
    KeyRegistry registry,
    ApiKeyQueries queries,
    TimeProvider time)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3660);

    /// <param name="creatorId">The staff member the key belongs to: the person creating it, or the creator of the calling key.</param>
    /// <param name="callerScopes">When a key creates a key through /v1: what that key may do now. A key never mints a broader key.</param>
    public async Task<CreateApiKeyResult> CreateAsync(
        NewApiKeyRequest request, string creatorId, Actor actor,
        IReadOnlySet<string>? callerScopes = null, string? createdByKeyId = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var errors = Validate(request, now, out var name, out var environment, out var scopes);
        if (errors.Count > 0) return CreateApiKeyResult.Invalid(errors);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var creator = await db.Users.AsNoTracking().Where(s => s.Id == creatorId).Select(s => new { s.Status }).SingleOrDefaultAsync(cancellationToken);
        if (creator?.Status != StaffStatus.Active)
        {
            return CreateApiKeyResult.Invalid(new() { ["creator"] = ["Only active staff members can own API keys."] });
        }
        var held = await permissions.OfAsync(db, creatorId, cancellationToken);
        foreach (var scope in scopes)
        {
            if (!held.Contains(scope)) Add(errors, "scopes", $"You cannot grant {scope}: you do not hold that permission.");
            else if (callerScopes is not null && !callerScopes.Contains(scope)) Add(errors, "scopes", $"You cannot grant {scope}: the calling key does not hold it.");
        }
        if (errors.Count > 0) return CreateApiKeyResult.Invalid(errors);

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
            CreatedAt = now,
            CreatedById = creatorId,
            CreatedByKeyId = createdByKeyId,
            ExpiresAt = request.ExpiresAt is { } expiry ? AsUtc(expiry) : null,
            Revision = await db.NextRevisionAsync(cancellationToken),
        };
        db.ApiKeys.Add(key);
        db.Record(actor, AuditActions.KeyCreated, now, AuditTargets.Key, keyId, $"{environment.ToCode()} key \"{name}\" with {key.Scopes}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        registry.Apply(KeyEntry.From(key));

        var view = await queries.GetAsync(keyId, cancellationToken);
        return new CreateApiKeyResult(new NewApiKey(view!, plaintext), new Dictionary<string, string[]>());
    }

    /// <summary>Immediate and irreversible; the row stays, with who revoked it and why.</summary>
    public async Task<RevokeOutcome> RevokeAsync(string keyId, Actor actor, string? reason = null, CancellationToken cancellationToken = default)
    {
        if (!ApiKeyFormat.IsKeyId(keyId)) return RevokeOutcome.NotFound;
        var now = time.GetUtcNow().UtcDateTime;
        reason = string.IsNullOrWhiteSpace(reason) ? null : Clean(reason.Trim(), 200);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var revision = await db.NextRevisionAsync(cancellationToken);
        // Conditional update: of two concurrent revokes exactly one wins, on any provider.
        var updated = await db.ApiKeys.Where(k => k.KeyId == keyId && k.RevokedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(k => k.RevokedAt, now)
            .SetProperty(k => k.RevokedBy, actor.Name)
            .SetProperty(k => k.RevocationReason, reason)
            .SetProperty(k => k.Revision, revision), cancellationToken);
        if (updated == 0)
        {
            return await db.ApiKeys.AnyAsync(k => k.KeyId == keyId, cancellationToken) ? RevokeOutcome.AlreadyRevoked : RevokeOutcome.NotFound;
        }
        db.Record(actor, AuditActions.KeyRevoked, now, AuditTargets.Key, keyId, reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var revoked = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.KeyId == keyId, cancellationToken);
        registry.Apply(KeyEntry.From(revoked));
        return RevokeOutcome.Revoked;
    }

    /// <summary>Revokes every active key of the organisation in one transaction (the Owner's emergency stop). Returns how many.</summary>
    public async Task<int> RevokeAllAsync(Actor actor, string reason, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        reason = Clean(reason.Trim(), 200);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var revision = await db.NextRevisionAsync(cancellationToken);
        var count = await db.ApiKeys.Where(k => k.RevokedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(k => k.RevokedAt, now)
            .SetProperty(k => k.RevokedBy, actor.Name)
            .SetProperty(k => k.RevocationReason, reason)
            .SetProperty(k => k.Revision, revision), cancellationToken);
        db.Record(actor, AuditActions.KeysRevokedAll, now, detail: $"{count} active keys revoked: {reason}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await registry.CatchUpAsync(db, revision - 1, cancellationToken);
        return count;
    }
}

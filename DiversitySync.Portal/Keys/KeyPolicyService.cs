using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Keys;

/// <summary>
/// Reads and changes the organisation's <see cref="KeyPolicy"/>: read:settings to see it on its own, write:settings
/// to change it (each change audited before → after). The key service reads it through <see cref="CurrentAsync"/>
/// inside its own transaction, so a key is checked against the policy as it is at that moment.
/// </summary>
public sealed class KeyPolicyService(PortalDbContext db, ActorAccess access, UnitOfWork writes)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Outcome<KeyPolicy>> GetAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadSettings, cancellationToken) is { } refused)
        {
            return refused;
        }
        return await CurrentAsync(db, cancellationToken);
    }

    /// <summary>Replaces the policy; a policy with problems is refused by field and nothing is written.</summary>
    public Task<Outcome<KeyPolicy>> SaveAsync(KeyPolicy policy, Actor actor,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<KeyPolicy>(actor, ScopeCatalog.WriteSettings, async change =>
        {
            if (policy.Problems() is { Count: > 0 } problems) return Refusal.Invalid(problems);
            var before = await CurrentAsync(db, cancellationToken);
            if (before == policy)
            {
                change.Unchanged();
                return policy;
            }
            await db.OrganisationSettings.Where(s => s.Name == OrganisationSetting.KeyPolicy)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Value, JsonSerializer.Serialize(policy, Json))
                    .SetProperty(s => s.UpdatedAt, change.Now), cancellationToken);
            change.Audit(AuditActions.KeyPolicyChanged, AuditTargets.Setting, OrganisationSetting.KeyPolicy,
                $"{before.Summary()} → {policy.Summary()}");
            return policy;
        }, cancellationToken);

    /// <summary>The policy now, for the services that apply it (they have checked their actor).</summary>
    internal static async Task<KeyPolicy> CurrentAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var stored = await db.OrganisationSettings.AsNoTracking().Where(s => s.Name == OrganisationSetting.KeyPolicy)
            .Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        return stored is null ? KeyPolicy.None : JsonSerializer.Deserialize<KeyPolicy>(stored, Json) ?? KeyPolicy.None;
    }
}

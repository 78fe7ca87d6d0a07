using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Keys;

/// <summary>
/// A question a reviewer asks of the keys, as the key list's filter that answers it: its count is that list's
/// length, because both are the same query.
/// </summary>
public sealed record ReviewCard(string Id, string Title, string Explanation, ApiKeyListParameters Filter,
    int Count);

/// <summary>The review desk (read:api_keys): unused, risky and forgotten keys, each a count and a list.</summary>
public sealed class KeyReview(ApiKeyQueries keys, ActorAccess access, PortalDbContext db,
    IOptions<ReviewOptions> options)
{
    /// <summary>The review's questions, with the configured thresholds.</summary>
    public static IReadOnlyList<ReviewCard> Questions(ReviewOptions o) =>
    [
        new("never-used", "Never used", "Usable keys that have never been exchanged for a token.",
            new(Status: "active", Used: "never"), 0),
        new("unused", $"Unused for {o.UnusedDays} days",
            $"Usable keys not used for {o.UnusedDays} days or more (or never, and made that long ago).",
            new(Status: "active", Used: $"before:{o.UnusedDays}d"), 0),
        new("never-expire", "Never expire", "Usable keys without an expiry date.",
            new(Status: "active", Expires: "never"), 0),
        new("expiring", $"Expiring within {o.ExpiringDays} days",
            "Integrations that stop working soon unless their key is replaced.",
            new(Expires: $"within:{o.ExpiringDays}d"), 0),
        new("expired", "Expired, not revoked", "Keys that no longer work but were never revoked.",
            new(Status: "expired"), 0),
        new("live-writes", "Live keys that can write", "Usable live keys holding any write: scope.",
            new(Environment: "live", Status: "active", Writes: "true"), 0),
        new("blocked-creator", "Creator blocked",
            "Keys of blocked staff: they do not work while their creator is blocked, and work again if unblocked.",
            new(Status: "active", CreatorStatus: "blocked"), 0),
        new("unused-scopes", $"Scopes unused for {o.UnusedDays} days",
            $"Usable keys holding a scope no call has needed in {o.UnusedDays} days: replace them with narrower keys.",
            new(Status: "active", UnusedScopes: "true"), 0),
    ];

    /// <summary>Shown while the organisation has a key policy.</summary>
    public static readonly ReviewCard BreaksPolicy = new("breaks-policy", "Break the key policy",
        "Usable keys made before a rule of the key policy that they do not keep: replace or change them.",
        new(Status: "active", BreaksPolicy: "true"), 0);

    public async Task<Outcome<IReadOnlyList<ReviewCard>>> CardsAsync(Actor actor,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadApiKeys, cancellationToken) is { } refused)
        {
            return refused;
        }
        var cards = new List<ReviewCard>();
        var questions = Questions(options.Value).ToList();
        // Keys made before a rule of the policy are listed, never changed (K-12).
        if (!(await KeyPolicyService.CurrentAsync(db, cancellationToken)).IsEmpty) questions.Add(BreaksPolicy);
        foreach (var card in questions)
        {
            var counted = await keys.CountAsync(actor, ApiKeyQueryParser.Parse(card.Filter).Query, cancellationToken);
            if (counted.Refusal is { } lost) return lost;
            cards.Add(card with { Count = counted.Value });
        }
        return cards;
    }
}

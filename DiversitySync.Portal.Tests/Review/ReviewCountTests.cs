namespace DiversitySync.Portal.Tests.Review;

/// <summary>
/// Review's counts are its lists: each card's count is the length of the key list its filter opens, and the keys at
/// the thresholds fall on the side the words say.
/// </summary>
public class ReviewCountTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private DateTime Now => factory.Time.GetUtcNow().UtcDateTime;

    private async Task<string> KeyAsync(StaffMember creator, string name, string scopes = ScopeCatalog.ReadApiKeys,
        string environment = "live", double? expiresInDays = null, double? createdDaysAgo = null,
        double? usedDaysAgo = null)
    {
        var keyId = (await factory.KeyAsync(creator, scopes, environment, name: name)).Key.KeyId;
        // Written as the days went by: a key made 90 days ago (its scopes idle since then), or one that has expired since.
        var created = createdDaysAgo is { } c ? Now.AddDays(-c) : (DateTime?)null;
        var used = usedDaysAgo is { } u ? Now.AddDays(-u) : (DateTime?)null;
        var expires = expiresInDays is { } e ? Now.AddDays(e) : (DateTime?)null;
        await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.Where(k => k.KeyId == keyId)
            .ExecuteUpdateAsync(set => set
                .SetProperty(k => k.CreatedAt, k => created ?? k.CreatedAt)
                .SetProperty(k => k.ScopesIdleSince, k => created ?? k.ScopesIdleSince)
                .SetProperty(k => k.ExpiresAt, expires)
                .SetProperty(k => k.LastUsedAt, used)));
        return name;
    }

    /// <summary>A call that needed <paramref name="scope"/>, counted on its day as the usage writer does.</summary>
    private Task UsedAsync(string name, string scope, int daysAgo) => factory.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<PortalDbContext>();
        var keyId = await db.ApiKeys.Where(k => k.Name == name || k.KeyId == name).Select(k => k.KeyId).SingleAsync();
        var at = Now.AddDays(-daysAgo);
        await db.AddAsync([], [new KeyScopeUsageDay { KeyId = keyId, Scope = scope, Day = DateOnly.FromDateTime(at),
            Calls = 1, LastAt = at }], CancellationToken.None);
    });

    private async Task<IReadOnlyList<string>> ListAsync(ApiKeyListParameters filter) =>
        [.. (await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().SearchAsync(Actor.System,
            ApiKeyQueryParser.Parse(filter with { PageSize = 100 }).Query))).Value!.Items.Select(k => k.Name)];

    [Fact]
    public async Task Each_card_counts_exactly_the_keys_its_list_shows_with_the_thresholds_on_the_right_side()
    {
        var owner = await factory.StaffAsync();
        var blocked = await factory.StaffAsync();
        await KeyAsync(owner, "used 89 days ago", createdDaysAgo: 200, usedDaysAgo: 89);
        await KeyAsync(owner, "used 90 days ago", createdDaysAgo: 200, usedDaysAgo: 90);
        await KeyAsync(owner, "never used, made 90 days ago", createdDaysAgo: 90);
        await KeyAsync(owner, "never used, made 89 days ago", createdDaysAgo: 89);
        await KeyAsync(owner, "expires in 6 days", expiresInDays: 6, usedDaysAgo: 1);
        await KeyAsync(owner, "expires in 7 days", expiresInDays: 7, usedDaysAgo: 1);
        await KeyAsync(owner, "expires in 8 days", expiresInDays: 8, usedDaysAgo: 1);
        await KeyAsync(owner, "expired", expiresInDays: -1, usedDaysAgo: 1);
        await KeyAsync(owner, "live writer", "read:api_keys write:api_keys", usedDaysAgo: 1);
        await KeyAsync(owner, "test writer", "write:api_keys", "test", usedDaysAgo: 1);
        await KeyAsync(blocked, "of a blocked creator", usedDaysAgo: 1);
        await factory.ChangeStaffAsync(blocked, StaffStatus.Blocked);
        var idle = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys
            .Where(k => k.Name == "used 89 days ago").Select(k => k.KeyId).SingleAsync());
        var busy = await KeyAsync(owner, "uses both scopes", "read:api_keys read:users", createdDaysAgo: 100,
            usedDaysAgo: 1);
        var half = await KeyAsync(owner, "uses one of two scopes", "read:api_keys read:users", createdDaysAgo: 100,
            usedDaysAgo: 1);
        await UsedAsync(busy, "read:api_keys", daysAgo: 1);
        await UsedAsync(busy, "read:users", daysAgo: 89);
        await UsedAsync(half, "read:api_keys", daysAgo: 1);
        await UsedAsync(half, "read:users", daysAgo: 90);
        await UsedAsync(idle, "read:api_keys", daysAgo: 89);

        var cards = (await factory.WithScopeAsync(s => s.GetRequiredService<KeyReview>().CardsAsync(Actor.System)))
            .Value!.ToDictionary(c => c.Id);

        foreach (var card in cards.Values) card.Count.Should().Be((await ListAsync(card.Filter)).Count, card.Id);
        (await ListAsync(cards["unused"].Filter)).Should().BeEquivalentTo(
            "used 90 days ago", "never used, made 90 days ago");
        (await ListAsync(cards["never-used"].Filter)).Should().BeEquivalentTo(
            "never used, made 90 days ago", "never used, made 89 days ago");
        (await ListAsync(cards["expiring"].Filter)).Should().BeEquivalentTo("expires in 6 days", "expires in 7 days");
        (await ListAsync(cards["never-expire"].Filter)).Should().NotContain(["expires in 6 days", "expired"]);
        (await ListAsync(cards["expired"].Filter)).Should().BeEquivalentTo("expired");
        (await ListAsync(cards["live-writes"].Filter)).Should().BeEquivalentTo("live writer");
        (await ListAsync(cards["blocked-creator"].Filter)).Should().BeEquivalentTo("of a blocked creator");
        (await ListAsync(cards["unused-scopes"].Filter)).Should().BeEquivalentTo("uses one of two scopes",
            "used 90 days ago", "never used, made 90 days ago");
    }
}

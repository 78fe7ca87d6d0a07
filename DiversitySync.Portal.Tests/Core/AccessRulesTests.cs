using System.Collections.Frozen;

namespace DiversitySync.Portal.Tests.Core;

/// <summary>
/// The one statement of what an actor may do now, and its database form agreeing with it (P-04, P-06).
/// </summary>
public class AccessRulesTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static FrozenSet<string> Set(params string[] scopes) => scopes.ToFrozenSet(StringComparer.Ordinal);

    [Fact]
    public void P06_a_key_uses_only_its_scopes_that_its_creator_holds_now_and_its_token_carries()
    {
        var usable = AccessRules.KeyScopes(Set("read:users", "write:api_keys", "read:audit"),
            Set("read:users", "read:audit"), Set("read:users"));

        usable.Should().BeEquivalentTo("read:users");
    }

    [Theory]
    [InlineData(true, null, StaffStatus.Active, KeyRefusal.Revoked)]
    [InlineData(false, -1, StaffStatus.Active, KeyRefusal.Expired)]
    [InlineData(false, 0, StaffStatus.Active, KeyRefusal.Expired)]
    [InlineData(false, 1, StaffStatus.Archived, KeyRefusal.CreatorArchived)]
    [InlineData(false, 1, StaffStatus.Blocked, KeyRefusal.CreatorNotActive)]
    [InlineData(false, null, null, KeyRefusal.CreatorNotActive)]
    [InlineData(false, null, StaffStatus.Active, KeyRefusal.None)]
    public void P04_a_key_is_usable_only_unrevoked_unexpired_and_with_an_active_creator(bool revoked,
        int? expiresInDays, StaffStatus? creator, KeyRefusal expected)
    {
        var now = new DateTime(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);

        AccessRules.Judge(revoked ? now.AddDays(-1) : null, expiresInDays is { } days ? now.AddDays(days) : null,
            creator, now).Should().Be(expected);
    }

    [Fact]
    public async Task The_database_and_memory_agree_on_which_keys_are_live()
    {
        var owner = await factory.StaffAsync();
        var today = factory.Time.GetUtcNow().UtcDateTime;
        var keys = new[]
        {
            await factory.KeyAsync(owner), await factory.KeyAsync(owner,
                expiresAt: today.AddDays(1)), await factory.KeyAsync(owner, expiresAt: today.AddDays(3)),
        };
        await factory.RevokeAsync(keys[2].Key.KeyId);
        var ids = keys.Select(k => k.Key.KeyId).ToList();

        foreach (var now in new[] { today, today.AddDays(1), today.AddDays(2) })
        {
            var (inDatabase, inMemory) = await factory.WithScopeAsync(async s =>
            {
                var mine = s.GetRequiredService<PortalDbContext>().ApiKeys.AsNoTracking()
                    .Where(k => ids.Contains(k.KeyId));
                var live = await mine.Where(ApiKey.LiveAt(now)).Select(k => k.KeyId).ToListAsync();
                var judged = (await mine.ToListAsync()).Where(k => AccessRules.IsLive(k.RevokedAt, k.ExpiresAt,
                    now)).Select(k => k.KeyId).ToList();
                return (live, judged);
            });

            inDatabase.Should().BeEquivalentTo(inMemory, $"at {now:u}");
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DiversitySync.Portal.Tests.Data;

/// <summary>
/// Keys and roles stored before keys had fields and an Access label keep working, unchanged, after the upgrade.
/// </summary>
public class KeyMigrationTests
{
    private const string BeforeFields = "20261130051932_SignInHardening";
    private const string BeforeReviewColumns = "20261203132036_ScopeLastUse";

    private static string KeyIdOf(string key) => key.Split('_')[2];

    [Fact]
    public async Task Stored_keys_and_roles_work_unchanged_after_the_migration_that_adds_fields_and_access()
    {
        var directory = PortalFactory.NewDataDirectory();
        string readOnlyKey, writingKey, auditorId;
        await using (var before = PortalFactory.Create(directory))
        {
            var owner = await before.StaffAsync(StaffRole.Owner);
            await before.RoleAsync("Auditor", "read:audit read:users");
            auditorId = (await before.StaffAsync("Auditor")).Id;
            readOnlyKey = (await before.KeyAsync(owner, "read:api_keys read:audit")).Plaintext;
            writingKey = (await before.KeyAsync(owner, "read:api_keys write:api_keys")).Plaintext;
            // Back to the schema these keys would have been written with: no Fields, no Access.
            await before.WithScopeAsync(s =>
                s.GetRequiredService<PortalDbContext>().GetService<IMigrator>().MigrateAsync(BeforeFields));
        }

        await using var after = PortalFactory.Create(directory);
        var client = after.CreateClient();

        var readOnly = await (await client.ExchangeAsync(readOnlyKey)).JsonAsync();
        var writing = await (await client.ExchangeAsync(writingKey)).JsonAsync();
        readOnly.GetProperty("scope").GetString().Should().Be("read:api_keys read:audit");
        writing.GetProperty("scope").GetString().Should().Be("read:api_keys write:api_keys");
        TokenRequests.Payload(readOnly.GetProperty("access_token").GetString()!).TryGetProperty("fields",
            out _).Should().BeFalse("a stored key sees every field");
        var keys = await (await client.GetAsync("/v1/api-keys",
            readOnly.GetProperty("access_token").GetString()!)).JsonAsync();
        keys.GetProperty("items").EnumerateArray().ToDictionary(k => k.GetProperty("keyId").GetString()!,
            k => k.GetProperty("access").GetString())
            .Should().Equal(new Dictionary<string, string?>
            {
                [KeyIdOf(readOnlyKey)] = "read_only",
                [KeyIdOf(writingKey)] = "custom"
            });
        keys.GetProperty("items").EnumerateArray().Should()
            .AllSatisfy(k => k.GetProperty("fields").EnumerateObject().Should().BeEmpty());
        var auditor = await after.WithScopeAsync(s => s.GetRequiredService<StaffPermissions>()
            .GrantsOfAsync(s.GetRequiredService<PortalDbContext>(), auditorId));
        auditor.Permissions.Should().BeEquivalentTo(["read:audit", "read:users"],
            "a custom role keeps exactly what it listed");
    }

    [Fact]
    public async Task Keys_stored_before_the_review_columns_are_found_by_the_writes_and_unused_scopes_filters()
    {
        var directory = PortalFactory.NewDataDirectory();
        string writer, idle;
        await using (var before = PortalFactory.Create(directory))
        {
            var owner = await before.StaffAsync(StaffRole.Owner);
            writer = (await before.KeyAsync(owner, "read:api_keys write:api_keys")).Key.KeyId;
            idle = (await before.KeyAsync(owner, "read:api_keys read:users")).Key.KeyId;
            await before.WithScopeAsync(async s =>
            {
                var db = s.GetRequiredService<PortalDbContext>();
                var longAgo = before.Time.GetUtcNow().UtcDateTime.AddDays(-200);
                await db.ApiKeys.ExecuteUpdateAsync(set => set.SetProperty(k => k.CreatedAt, longAgo));
                // The writer used both its scopes yesterday; the idle key only one of its two.
                var yesterday = before.Time.GetUtcNow().UtcDateTime.AddDays(-1);
                await db.AddAsync([], [.. new[] { (writer, "read:api_keys"), (writer, "write:api_keys"),
                    (idle, "read:api_keys") }.Select(u => new KeyScopeUsageDay { KeyId = u.Item1, Scope = u.Item2,
                        Day = DateOnly.FromDateTime(yesterday), Calls = 1, LastAt = yesterday })],
                    CancellationToken.None);
                await db.GetService<IMigrator>().MigrateAsync(BeforeReviewColumns);
            });
        }

        await using var after = PortalFactory.Create(directory);
        async Task<IEnumerable<string>> ListAsync(ApiKeyQuery query) =>
            (await after.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().SearchAsync(Actor.System, query)))
            .Value!.Items.Select(k => k.KeyId);

        (await ListAsync(new ApiKeyQuery(WriteScopes: true))).Should().Equal(writer);
        (await ListAsync(new ApiKeyQuery(UnusedScopes: true))).Should().Equal(idle);
    }
}

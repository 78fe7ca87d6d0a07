using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Tests.Audit;

/// <summary>Small batches, so that a test's few dozen expired events take several DELETEs.</summary>
public static class SmallRetentionBatches
{
    public static Dictionary<string, string?> Settings => new() { ["Audit:RetentionBatchSize"] = "10" };
}

public sealed class RetentionPortalFactory() : PortalFactory(SmallRetentionBatches.Settings);

public sealed class RetentionPostgresPortalFactory() : PostgresPortalFactory(SmallRetentionBatches.Settings);

public sealed class AuditRetentionTests(RetentionPortalFactory factory)
    : AuditRetentionTestsOn(factory), IClassFixture<RetentionPortalFactory>;

public sealed class AuditRetentionTestsOnPostgreSQL(RetentionPostgresPortalFactory factory)
    : AuditRetentionTestsOn(factory), IClassFixture<RetentionPostgresPortalFactory>;

/// <summary>
/// What the retention pass deletes and what it keeps (L-07), on both providers: the batched DELETE is translated
/// differently by each.
/// </summary>
public abstract class AuditRetentionTestsOn(PortalFactory factory)
{
    private static readonly string[] Lifecycle =
        [AuditActions.KeyCreated, AuditActions.KeyRevoked, AuditActions.StaffArchived, AuditActions.RoleUpdated,
            AuditActions.WebhookEndpointCreated, AuditActions.SignInFailed];

    private static readonly TimeSpan NinetyDays = TimeSpan.FromDays(90);

    /// <summary>Ages on each side of the limits, by name.</summary>
    private static readonly Dictionary<string, TimeSpan> Ages = new()
    {
        ["an hour under 90 days"] = NinetyDays - TimeSpan.FromHours(1),
        ["an hour over 90 days"] = NinetyDays + TimeSpan.FromHours(1),
        ["200 days"] = TimeSpan.FromDays(200),
        ["400 days"] = TimeSpan.FromDays(400),
    };

    /// <summary>
    /// Writes an event of each action at each age by the clock of <paramref name="app"/>, marked with a target id of
    /// this test's own.
    /// </summary>
    private async Task<string> EventsAsync(IEnumerable<string> actions, PortalFactory? app = null)
    {
        var mark = Guid.NewGuid().ToString("N");
        var now = (app ?? factory).Time.GetUtcNow().UtcDateTime;
        await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            db.AuditEvents.AddRange(from action in actions
                                    from age in Ages
                                    select new AuditEvent
                                    {
                                        OccurredAt = now - age.Value,
                                        Action = action,
                                        ActorType = "system",
                                        TargetId = mark,
                                        Detail = age.Key
                                    });
            await db.SaveChangesAsync();
        });
        return mark;
    }

    /// <summary>The marked events left, as (action, age).</summary>
    private Task<List<(string, string)>> RemainingAsync(string mark) => factory.WithScopeAsync(async s =>
        (await s.GetRequiredService<PortalDbContext>().AuditEvents.AsNoTracking().Where(e => e.TargetId == mark)
            .Select(e => new { e.Action, e.Detail }).ToListAsync()).Select(e => (e.Action, e.Detail!)).ToList());

    private static Task<RetentionResult> RunAsync(PortalFactory app) =>
        app.WithScopeAsync(s => s.GetRequiredService<AuditRetention>().RunAsync(CancellationToken.None));

    [Fact]
    public async Task L07_deletes_exactly_the_per_request_events_older_than_90_days_and_keeps_every_other_event()
    {
        // Three of each of five per-request actions are past the limit: fifteen rows, two batches of ten.
        var mark = await EventsAsync(AuditRetention.HighVolume.Concat(Lifecycle));

        await RunAsync(factory);

        (await RemainingAsync(mark)).Should().BeEquivalentTo(
            AuditRetention.HighVolume.Select(action => (action, "an hour under 90 days"))
                .Concat(from action in Lifecycle from age in Ages.Keys select (action, age)));
    }

    [Fact]
    public async Task L07_with_Audit_RetentionDays_every_event_older_than_it_is_deleted_too()
    {
        await using var withLimit = factory.Another(new()
        {
            ["Audit:RetentionDays"] = "365",
            ["Audit:RetentionIntervalMinutes"] = "1440",
        });
        var mark = await EventsAsync(AuditRetention.HighVolume.Concat(Lifecycle), withLimit);

        await RunAsync(withLimit);

        (await RemainingAsync(mark)).Should().BeEquivalentTo(
            AuditRetention.HighVolume.Select(action => (action, "an hour under 90 days"))
                .Concat(from action in Lifecycle from age in Ages.Keys.SkipLast(1) select (action, age)));
    }

    [Fact]
    public async Task L07_a_keys_usage_is_still_shown_after_its_exchange_events_are_deleted()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());
        await factory.Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);
        var client = factory.CreateClient();
        for (var i = 0; i < 3; i++) (await client.ExchangeAsync(key.Plaintext)).EnsureSuccessStatusCode();
        await factory.Services.GetRequiredService<KeyUsageTracker>().FlushAsync();
        await factory.Services.GetRequiredService<AuditQueue>().FlushAsync();

        await factory.AdvanceAsync(NinetyDays + TimeSpan.FromDays(1));
        await RunAsync(factory);

        var issued = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().AuditEvents
            .CountAsync(e => e.TargetId == key.Key.KeyId && e.Action == AuditActions.TokenIssued));
        var usage = await factory.WithScopeAsync(s => s.GetRequiredService<KeyUsageQueries>()
            .ForKeyAsync(Actor.System, key.Key.KeyId, 100));
        (issued, usage.Value!.Exchanges).Should().Be((0, 3));
    }

    [Fact]
    public async Task L07_usage_counters_are_kept_400_days_then_deleted()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var today = DateOnly.FromDateTime(factory.Time.GetUtcNow().UtcDateTime);
        int[] ages = [399, 400, 401, 500];
        await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            db.KeyUsageDays.AddRange(ages.Select(age =>
                new KeyUsageDay { KeyId = key.Key.KeyId, Day = today.AddDays(-age), Issued = 1 }));
            db.KeyScopeUsageDays.AddRange(ages.Select(age => new KeyScopeUsageDay
            {
                KeyId = key.Key.KeyId,
                Scope = ScopeCatalog.ReadApiKeys,
                Day = today.AddDays(-age),
                Calls = 1,
                LastAt = today.AddDays(-age).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)
            }));
            await db.SaveChangesAsync();
        });

        await RunAsync(factory);

        var left = await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            return (await db.KeyUsageDays.Where(d => d.KeyId == key.Key.KeyId).Select(d => d.Day).ToListAsync(),
                await db.KeyScopeUsageDays.Where(d => d.KeyId == key.Key.KeyId).Select(d => d.Day).ToListAsync());
        });
        DateOnly[] kept = [today.AddDays(-399), today.AddDays(-400)];
        left.Should().BeEquivalentTo((kept, kept));
    }

    [Fact]
    public async Task L07_a_retention_shorter_for_every_event_than_for_per_request_ones_stops_the_start()
    {
        await using var wrong = factory.Another(new() { ["Audit:RetentionDays"] = "30" });

        var start = () => wrong.CreateClient();

        start.Should().Throw<OptionsValidationException>().WithMessage("*Audit:RetentionDays (30)*");
    }
}

/// <summary>The retention pass yields to a busy request path: it rests far longer between batches while it is.</summary>
public class RetentionPaceTests
{
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(40);

    /// <summary>The share of the time the pass spends deleting: a batch, then its rest.</summary>
    private static double ShareDeleting(double eventsPerSecond) =>
        Batch / (Batch + AuditRetention.RestAfter(Batch, eventsPerSecond));

    [Fact]
    public void L07_while_the_request_path_is_quiet_the_pass_deletes_at_most_a_third_of_the_time() =>
        ShareDeleting(AuditRetention.BusyEventsPerSecond).Should().BeLessThanOrEqualTo(1 / 3d);

    [Fact]
    public void L07_while_exchanges_are_busy_the_pass_deletes_at_most_a_twentieth_of_the_time() =>
        ShareDeleting(6000).Should().BeLessThanOrEqualTo(1 / 20d);

    [Fact]
    public void L07_even_a_very_quick_batch_is_followed_by_a_rest_so_other_writers_get_the_lock() =>
        AuditRetention.RestAfter(TimeSpan.FromMicroseconds(100), 0).Should().BePositive();
}

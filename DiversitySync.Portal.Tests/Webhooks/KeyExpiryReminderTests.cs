namespace DiversitySync.Portal.Tests.Webhooks;

/// <summary>The expiry reminders, which run on every instance at once (W-03).</summary>
public class KeyExpiryReminderTests : IAsyncLifetime
{
    // No background deliveries: the test moves the clock a week on, and a dispatcher failing to reach the endpoint
    // all that time would disable it (after 3 days of failures) between two passes, so the last reminder would have
    // no subscriber left to go to.
    protected static readonly Dictionary<string, string?> Quiet = new() { ["Webhooks:Dispatch"] = "false" };
    private readonly PortalFactory factory;

    public KeyExpiryReminderTests() : this(PortalFactory.Create(settings: Quiet))
    {
    }

    /// <summary>For the same tests on another provider.</summary>
    protected KeyExpiryReminderTests(PortalFactory factory) => this.factory = factory;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task W03_two_instances_running_the_reminders_at_once_send_one_per_threshold()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            db.WebhookEndpoints.Add(new WebhookEndpoint
            {
                Id = "ep_reminders0000001",
                Url = "https://example.com/hooks",
                CreatedAt = factory.Time.GetUtcNow().UtcDateTime,
                CreatedById = owner.Id,
                Events = "api_key.expiring api_key.expired",
            });
            await db.SaveChangesAsync();
        });
        // Several keys, so the two passes interleave on some of them: the race is between one instance's read and
        // the other's commit.
        var keys = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            keys.Add((await factory.KeyAsync(owner,
                expiresAt: factory.Time.GetUtcNow().UtcDateTime.AddDays(6.5))).Key.KeyId);
        }
        await using var second = factory.Another(Quiet);
        second.CreateClient();

        async Task BothRunAsync()
        {
            // Both instances read the same clock: the later of the two (a fake clock cannot go back).
            var now = new[] { factory.Time.GetUtcNow(), second.Time.GetUtcNow() }.Max();
            foreach (var clock in new[] { factory.Time, second.Time }.Where(c => c.GetUtcNow() < now))
            {
                clock.SetUtcNow(now);
            }
            await Task.WhenAll(
                factory.WithScopeAsync(s =>
                    s.GetRequiredService<KeyExpiryReminders>().RunAsync(CancellationToken.None)),
                second.WithScopeAsync(s =>
                    s.GetRequiredService<KeyExpiryReminders>().RunAsync(CancellationToken.None)));
        }
        Task<List<string>> PayloadsAsync() =>
            factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().WebhookMessages
            .Where(m => m.Type.StartsWith("api_key.expir")).OrderBy(m => m.Id).Select(m => m.Payload).ToListAsync());

        await BothRunAsync();
        await BothRunAsync();
        factory.Time.Advance(TimeSpan.FromDays(6));
        await BothRunAsync();
        factory.Time.Advance(TimeSpan.FromDays(1));
        await BothRunAsync();

        var events = (await PayloadsAsync()).Select(p => JsonDocument.Parse(p).RootElement).ToList();
        foreach (var keyId in keys)
        {
            events.Where(e => e.GetProperty("data").GetProperty("key_id").GetString() == keyId)
                .Select(e => (e.GetProperty("type").GetString(),
                    e.GetProperty("data").GetProperty("days_left").GetInt32()))
                .Should().Equal([("api_key.expiring", 7), ("api_key.expiring", 1), ("api_key.expired", 0)],
                    "key {0} gets each reminder once", keyId);
        }
    }
}

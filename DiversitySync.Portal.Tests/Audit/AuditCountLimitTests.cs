using DiversitySync.Portal.Components.Shared;

namespace DiversitySync.Portal.Tests.Audit;

/// <summary>
/// A long list counts up to <see cref="Paging.CountLimit"/> and then says "more than": the count never reads a million
/// rows, and the next page is still offered (the audit log and the key list share <see cref="Paging.CountAsync"/>).
/// </summary>
public class AuditCountLimitTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const int Stored = Paging.CountLimit + 5;

    private async Task SeedOnceAsync() => await factory.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<PortalDbContext>();
        if (await db.AuditEvents.CountAsync(e => e.Action == "test.many") > 0) return;
        var now = factory.Time.GetUtcNow().UtcDateTime;
        db.AuditEvents.AddRange(Enumerable.Range(0, Stored).Select(i => new AuditEvent
        {
            OccurredAt = now.AddSeconds(-i),
            Action = "test.many",
            ActorType = "system",
        }));
        await db.SaveChangesAsync();
    });

    private async Task<Paged<AuditEvent>> PageAsync(int page)
    {
        await SeedOnceAsync();
        return (await factory.WithScopeAsync(s => s.GetRequiredService<AuditQueries>().SearchAsync(Actor.System,
            new AuditQuery(Action: "test.many", Page: page)))).Value!;
    }

    [Fact]
    public async Task Past_ten_thousand_matches_the_first_page_says_more_than_ten_thousand_and_offers_the_next()
    {
        var first = await PageAsync(1);
        Format.Total(first, "event").Should().Be("more than 10,000 events");
        first.PageCount.Should().Be(Paging.CountLimit / AuditQuery.DefaultPageSize + 1);
    }

    [Fact]
    public async Task A_page_past_the_limit_counts_as_far_as_it_needs_and_then_exactly()
    {
        var last = await PageAsync(Stored / AuditQuery.DefaultPageSize + 1);
        (last.Total, last.TotalIsExact, last.Items.Count).Should().Be((Stored, true, Stored % AuditQuery.DefaultPageSize));
    }
}

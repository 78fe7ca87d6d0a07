using System.Net;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DiversitySync.Portal.Tests.Components;

/// <summary>Search, filters, sort and paging of the API Keys page, all in the query string.</summary>
public class KeyListQueryTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient client = null!;
    private string oliveId = null!;

    public async Task InitializeAsync()
    {
        var (signedIn, olive) = await factory.SignedInAsync(name: "Olive Owner");
        client = signedIn;
        oliveId = olive.Id;
        var rita = await factory.StaffAsync(StaffRoleNames.Admin, "Rita Reader");
        // Created one minute apart, in this order: Payroll, Roster, Invoice, Leave.
        await factory.KeyAsync(olive, name: "Payroll export", environment: "live");
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var roster = await factory.KeyAsync(rita, name: "Roster Sync API", environment: "test");
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        await factory.KeyAsync(olive, name: "Invoice Integration", environment: "live", expiresAt: factory.Time.GetUtcNow().UtcDateTime.AddDays(3));
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var leave = await factory.KeyAsync(olive, name: "leave balances", environment: "test");
        await factory.RevokeAsync(roster.Key.KeyId);
        await factory.CreateClient().AccessTokenAsync(leave.Plaintext);
        await factory.WithScopeAsync(s => s.GetRequiredService<KeyUsageTracker>().FlushAsync());
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<IReadOnlyList<string>> NamesAsync(string query) => (await client.GetDocumentAsync($"/admin/api-keys{query}")).KeyNames();

    [Theory]
    [InlineData("", "leave balances,Invoice Integration,Roster Sync API,Payroll export")]
    [InlineData("?sort=created_asc", "Payroll export,Roster Sync API,Invoice Integration,leave balances")]
    [InlineData("?sort=name", "Invoice Integration,leave balances,Payroll export,Roster Sync API")]
    [InlineData("?q=ROSTER", "Roster Sync API")]
    [InlineData("?q=in", "Invoice Integration")]
    [InlineData("?env=live", "Invoice Integration,Payroll export")]
    [InlineData("?status=revoked", "Roster Sync API")]
    [InlineData("?status=expiring_soon", "Invoice Integration")]
    [InlineData("?status=active&env=test", "leave balances")]
    [InlineData("?status=nonsense&sort=nonsense&page=abc&env=%3Cscript%3E", "leave balances,Invoice Integration,Roster Sync API,Payroll export")]
    public async Task The_query_string_filters_and_sorts_the_table(string query, string expected)
    {
        (await NamesAsync(query)).Should().Equal(expected.Split(','));
    }

    [Fact]
    public async Task Sorting_by_last_used_puts_the_most_recently_used_first()
    {
        (await NamesAsync("?sort=last_used")).First().Should().Be("leave balances");
    }

    [Fact]
    public async Task A_key_id_finds_its_key_with_or_without_the_prefix()
    {
        var page = await client.GetDocumentAsync("/admin/api-keys?q=Payroll");
        var displayId = page.Text("[data-testid=key-id]")!;

        (await NamesAsync($"?q={displayId}")).Should().Equal("Payroll export");
        (await NamesAsync($"?q={displayId[8..14]}")).Should().Equal("Payroll export");
    }

    [Fact]
    public async Task The_creator_filter_lists_everyone_with_their_counts_and_filters_by_them()
    {
        var page = await client.GetDocumentAsync($"/admin/api-keys?creator={oliveId}");

        page.QuerySelectorAll("#key-creator option").Select(o => o.TextContent.Trim())
            .Should().Equal("All creators (4)", "Olive Owner (3)", "Rita Reader (1)");
        page.QuerySelector("#key-creator option[selected]")!.TextContent.Should().StartWith("Olive Owner");
        page.KeyNames().Should().Equal("leave balances", "Invoice Integration", "Payroll export");
    }

    [Fact]
    public async Task The_filters_show_the_state_they_were_given()
    {
        var page = await client.GetDocumentAsync("/admin/api-keys?q=sync&env=test&status=revoked&sort=name");

        page.QuerySelector("#key-search")!.GetAttribute("value").Should().Be("sync");
        page.QuerySelector("#key-env option[selected]")!.GetAttribute("value").Should().Be("test");
        page.QuerySelector("#key-status option[selected]")!.GetAttribute("value").Should().Be("revoked");
        page.QuerySelector("#key-sort option[selected]")!.GetAttribute("value").Should().Be("name");
    }

    [Fact]
    public async Task Rows_show_environment_status_creator_and_last_use()
    {
        var page = await client.GetDocumentAsync("/admin/api-keys");

        var rows = page.QuerySelectorAll("[data-testid=key-row]").ToDictionary(r => r.QuerySelector(".key-name a")!.TextContent.Trim());
        rows["leave balances"].QuerySelector("[data-testid=last-used]")!.TextContent.Trim().Should().Be("Just now");
        rows["Payroll export"].QuerySelector("[data-testid=last-used]")!.TextContent.Trim().Should().Be("Never used");
        rows["Roster Sync API"].QuerySelector("[data-testid=status-badge]")!.TextContent.Should().Be("Revoked");
        rows["Invoice Integration"].QuerySelector("[data-testid=status-badge]")!.TextContent.Should().Be("Expiring soon");
        rows["Invoice Integration"].QuerySelector("[data-testid=env-badge]")!.TextContent.Should().Be("Live");
        rows["Roster Sync API"].TextContent.Should().Contain("Rita Reader");
    }

    [Fact]
    public async Task Empty_states_tell_no_keys_from_no_matches()
    {
        (await client.GetDocumentAsync("/admin/api-keys?q=zzz")).Text("[data-testid=empty-state]").Should().Contain("No keys match");
        await using var empty = new PortalFactory();
        var (fresh, _) = await empty.SignedInAsync();
        (await fresh.GetDocumentAsync("/admin/api-keys")).Text("[data-testid=empty-state]").Should().Contain("No API keys yet");
    }

    [Fact]
    public async Task Paging_is_done_by_the_server_with_the_total_and_keeps_the_filters()
    {
        var olive = new DiversitySync.Portal.Staff.StaffMember { Id = oliveId, DisplayName = "Olive Owner" };
        for (var i = 0; i < 30; i++) await factory.KeyAsync(olive, name: $"Batch {i:00}", environment: "test");

        var first = await client.GetDocumentAsync("/admin/api-keys?env=test&sort=name");
        var second = await client.GetDocumentAsync("/admin/api-keys?env=test&sort=name&page=2");

        first.KeyNames().Should().HaveCount(ApiKeyQuery.DefaultPageSize).And.StartWith("Batch 00");
        first.Text("[data-testid=result-count]").Should().Be("1–25 of 32");
        first.QuerySelector("[data-testid=pager] a[aria-label='Next page']")!.GetAttribute("href").Should().Be("/admin/api-keys?env=test&sort=name&page=2");
        second.KeyNames().Should().Equal("Batch 25", "Batch 26", "Batch 27", "Batch 28", "Batch 29", "leave balances", "Roster Sync API");
        second.Text("[data-testid=result-count]").Should().Be("26–32 of 32");
        (await client.GetDocumentAsync("/admin/api-keys?page=99")).Text("[data-testid=empty-state]").Should().Contain("Nothing on page 99");
    }

    [Fact]
    public async Task Hostile_search_text_is_shown_as_text()
    {
        var response = await client.GetAsync("/admin/api-keys?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("<script>alert(1)</script>");
    }
}

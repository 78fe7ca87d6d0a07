using AngleSharp.Dom;
using Bunit;
using DiversitySync.Portal.Components.ApiKeys;
using Microsoft.AspNetCore.Components;

namespace DiversitySync.Portal.Tests.Components;

/// <summary>
/// Search, filters, sort and paging of the API Keys page, all in the query string: the page rendered by bUnit with
/// the real services behind it, on a real database.
/// </summary>
public class KeyListQueryTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private StaffMember olive = null!;

    public async Task InitializeAsync()
    {
        olive = await factory.StaffAsync(StaffRoleNames.Owner, "Olive Owner");
        var rita = await factory.StaffAsync(StaffRoleNames.Admin, "Rita Reader");
        // Created one minute apart, in this order: Payroll, Roster, Invoice, Leave.
        await factory.KeyAsync(olive, name: "Payroll export", environment: "live");
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var roster = await factory.KeyAsync(rita, name: "Roster Sync API", environment: "test");
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        await factory.KeyAsync(olive, name: "Invoice Integration", environment: "live",
            expiresAt: factory.Time.GetUtcNow().UtcDateTime.AddDays(3));
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var leave = await factory.KeyAsync(olive, name: "leave balances", environment: "test");
        await factory.RevokeAsync(roster.Key.KeyId);
        await factory.CreateClient().AccessTokenAsync(leave.Plaintext);
        await factory.WithScopeAsync(s => s.GetRequiredService<KeyUsageTracker>().FlushAsync());
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    /// <summary>The API Keys page at this query string, once its rows have loaded.</summary>
    private async Task<IElement> PageAsync(string query, PortalFactory? on = null, StaffMember? viewer = null)
    {
        var (ctx, user) = await PortalComponents.ContextAsync(on ?? factory, viewer ?? olive);
        await using (ctx)
        {
            ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(KeyListState.Path + query);
            var page = ctx.RenderPage<ApiKeysPage>(user);
            page.WaitForElement("[data-loaded=true]", TimeSpan.FromSeconds(10));
            // A detached copy of what is on screen, to read after the context is gone.
            return Html.Parse($"<div>{page.Markup}</div>").Body!;
        }
    }

    private async Task<IReadOnlyList<string>> NamesAsync(string query) => Names(await PageAsync(query));

    private static IReadOnlyList<string> Names(IElement page) => [.. page.QuerySelectorAll("tr.key-row " +
        "a.key-link").Select(a => a.TextContent.Trim())];

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
    [InlineData("?status=nonsense&sort=nonsense&page=abc&env=%3Cscript%3E",
        "leave balances,Invoice Integration,Roster Sync API,Payroll export")]
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
        var displayId = (await PageAsync("?q=Payroll")).QuerySelector("[data-testid=key-id]")!.TextContent;

        (await NamesAsync($"?q={displayId}")).Should().Equal("Payroll export");
        (await NamesAsync($"?q={displayId[8..14]}")).Should().Equal("Payroll export");
    }

    [Fact]
    public async Task The_creator_filter_names_the_chosen_creator_with_their_count_and_filters_by_them()
    {
        var page = await PageAsync($"?creator={olive.Id}");

        page.QuerySelector("[data-testid=creator-filter]")!.TextContent.Should().Be("Olive Owner (3)");
        Names(page).Should().Equal("leave balances", "Invoice Integration", "Payroll export");
    }

    [Fact]
    public async Task The_filters_show_the_state_they_were_given()
    {
        var page = await PageAsync("?q=sync&env=test&status=revoked&sort=name");

        page.QuerySelector("#key-search")!.GetAttribute("value").Should().Be("sync");
        page.QuerySelector("[data-testid=env-filter]")!.TextContent.Should().Be("Test");
        page.QuerySelector("[data-testid=status-filter]")!.TextContent.Should().Be("Revoked");
        page.QuerySelector("[data-testid=sort]")!.TextContent.Should().Be("Name A–Z");
    }

    [Fact]
    public async Task Rows_show_environment_status_creator_and_last_use()
    {
        var page = await PageAsync("");

        var rows = page.QuerySelectorAll("tr.key-row")
            .ToDictionary(r => r.QuerySelector("a.key-link")!.TextContent.Trim());
        rows["leave balances"].QuerySelector("[data-testid=last-used]")!.TextContent.Trim().Should().Be("Just now");
        rows["Payroll export"].QuerySelector("[data-testid=last-used]")!.TextContent.Trim().Should().Be("Never used");
        rows["Roster Sync API"].QuerySelector("[data-testid=status-badge]")!.TextContent.Trim().Should().Be("Revoked");
        rows["Invoice Integration"].QuerySelector("[data-testid=status-badge]")!.TextContent.Trim().Should()
            .Be("Expiring soon");
        rows["Invoice Integration"].QuerySelector("[data-testid=env-badge]")!.TextContent.Trim().Should().Be("Live");
        rows["Roster Sync API"].TextContent.Should().Contain("Rita Reader");
    }

    [Fact]
    public async Task Empty_states_tell_no_keys_from_no_matches()
    {
        (await PageAsync("?q=zzz")).QuerySelector("[data-testid=empty-state]")!.TextContent.Should()
            .Contain("No keys " +
            "match");
        await using var empty = new PortalFactory();
        var owner = await empty.StaffAsync(StaffRoleNames.Owner);
        (await PageAsync("", empty,
            owner)).QuerySelector("[data-testid=empty-state]")!.TextContent.Should().Contain("No API keys yet");
    }

    [Fact]
    public async Task Paging_is_done_by_the_server_with_the_total_and_keeps_the_filters()
    {
        for (var i = 0; i < 30; i++) await factory.KeyAsync(olive, name: $"Batch {i:00}", environment: "test");

        var first = await PageAsync("?env=test&sort=name");
        var second = await PageAsync("?env=test&sort=name&page=2");

        Names(first).Should().HaveCount(ApiKeyQuery.DefaultPageSize).And.StartWith("Batch 00");
        first.QuerySelector("[data-testid=results-summary]")!.TextContent.Should().Be("1–25 of 32 keys");
        Names(second).Should().Equal("Batch 25", "Batch 26", "Batch 27", "Batch 28", "Batch 29", "leave balances",
            "Roster Sync API");
        second.QuerySelector("[data-testid=results-summary]")!.TextContent.Should().Be("26–32 of 32 keys");
        (await PageAsync("?page=99")).QuerySelector("[data-testid=empty-state]")!.TextContent.Should()
            .Contain("Nothing on page 99");
    }

    [Fact]
    public async Task Hostile_search_text_is_shown_as_text()
    {
        var page = await PageAsync("?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        page.QuerySelector("#key-search")!.GetAttribute("value").Should().Be("<script>alert(1)</script>");
        page.QuerySelectorAll("script").Should().BeEmpty();
    }
}

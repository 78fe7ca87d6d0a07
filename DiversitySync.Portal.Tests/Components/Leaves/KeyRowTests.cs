using Bunit;
using DiversitySync.Portal.Components.ApiKeys;
using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Tests.Components.Leaves;

/// <summary>bUnit: one row of the API Keys table and its badges.</summary>
public class KeyRowTests : BunitContext
{
    public static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    public static ApiKeyView View(
        string name = "Payroll export", ApiKeyStatus status = ApiKeyStatus.Active, ApiKeyEnvironment environment = ApiKeyEnvironment.Live,
        DateTime? lastUsedAt = null, string? lastUsedIp = null, DateTime? expiresAt = null) => new(
            "2f1ac3d0e5b7a9c1", name, "Nightly payroll file", environment, status, ["read:api_keys"],
            new DateTime(2026, 11, 12, 9, 30, 0, DateTimeKind.Utc), new StaffRef("olive", "Olive Owner"), expiresAt,
            status == ApiKeyStatus.Revoked ? Now : null, null, null, lastUsedAt, lastUsedIp, null, null);

    private IRenderedComponent<KeyRow> RenderRow(ApiKeyView key, bool canRevoke = true) =>
        Render<KeyRow>(p => p.Add(c => c.Key, key).Add(c => c.Now, Now).Add(c => c.CanRevoke, canRevoke));

    [Fact]
    public void A_row_shows_name_description_key_id_badges_dates_and_the_creator()
    {
        var row = RenderRow(View(expiresAt: new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc)));

        row.Find(".key-name").TextContent.Should().Contain("Payroll export").And.Contain("Nightly payroll file");
        row.Find("[data-testid=key-id]").TextContent.Should().Be("ds_live_2f1ac3d0e5b7a9c1");
        row.Find("[data-testid=env-badge]").TextContent.Should().Be("Live");
        row.Find("[data-testid=status-badge]").TextContent.Should().Be("Active");
        row.Markup.Should().Contain("12 Nov 2026").And.Contain("31 Jan 2027").And.Contain("Olive Owner");
        row.Find(".avatar").TextContent.Should().Be("OO");
    }

    [Fact]
    public void Last_use_is_relative_with_the_exact_time_and_ip_on_hover()
    {
        var row = RenderRow(View(lastUsedAt: Now.AddMinutes(-2), lastUsedIp: "203.0.113.7"));

        var time = row.Find("[data-testid=last-used] time");
        time.TextContent.Should().Be("2 min ago");
        time.GetAttribute("title").Should().Be("22 Nov 2026, 11:58 UTC from 203.0.113.7");
        time.GetAttribute("datetime").Should().Be("2026-11-22T11:58:00Z");
    }

    [Theory]
    [InlineData(ApiKeyStatus.Active, "Active", "text-bg-success")]
    [InlineData(ApiKeyStatus.ExpiringSoon, "Expiring soon", "text-bg-warning")]
    [InlineData(ApiKeyStatus.Expired, "Expired", "text-bg-secondary")]
    [InlineData(ApiKeyStatus.Revoked, "Revoked", "text-bg-danger")]
    public void Each_status_has_its_words_and_colour(ApiKeyStatus status, string words, string colour)
    {
        var badge = Render<KeyBadge>(p => p.Add(c => c.Status, status)).Find("[data-testid=status-badge]");

        badge.TextContent.Should().Be(words);
        badge.ClassList.Should().Contain(colour);
    }

    [Fact]
    public void A_never_used_key_says_so_and_the_menu_copies_its_id()
    {
        var row = RenderRow(View());

        row.Find("[data-testid=last-used]").TextContent.Trim().Should().Be("Never used");
        row.Find("[data-testid=copy-key-id]").GetAttribute("data-copy").Should().Be("ds_live_2f1ac3d0e5b7a9c1");
        row.Find("[data-testid=row-menu]").GetAttribute("href").Should().Be("/admin/api-keys/2f1ac3d0e5b7a9c1", "without JavaScript the menu opens the key's page");
    }

    [Theory]
    [InlineData(ApiKeyStatus.Active, true, true)]
    [InlineData(ApiKeyStatus.Revoked, true, false)]
    [InlineData(ApiKeyStatus.Active, false, false)]
    public void Revoke_is_offered_only_to_those_who_may_and_only_for_keys_not_yet_revoked(ApiKeyStatus status, bool canRevoke, bool offered)
    {
        var row = RenderRow(View(status: status), canRevoke);

        row.FindAll("[data-testid=revoke-key]").Should().HaveCount(offered ? 1 : 0);
    }
}

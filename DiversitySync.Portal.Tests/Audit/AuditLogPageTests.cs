namespace DiversitySync.Portal.Tests.Audit;

/// <summary>/admin/audit and its CSV export through real HTTP.</summary>
public class AuditLogPageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1+2", "'+1+2")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("plain, with comma", "\"plain, with comma\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("ok", "ok")]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_is_defused(string value, string cell)
    {
        Csv.Cell(value).Should().Be(cell);
    }

    [Fact]
    public async Task The_export_escapes_a_formula_typed_into_the_sign_in_form()
    {
        // Anyone can put text in the audit log: a failed sign-in records the email as typed.
        var (client, _) = await factory.SignedInAsync(StaffRole.Owner);
        await factory.CreatePortalClient().SignInAsync("=cmd|' /C calc'!A0", "whatever");
        await factory.AuditAsync(AuditActions.SignInFailed);

        var response = await client.GetAsync("/admin/audit/export.csv?action=sign_in.failed");

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Headers.CacheControl!.NoStore.Should().BeTrue("the audit log is not kept by caches or the browser");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be(string.Join(',', AuditCsv.Columns.Select(c => c.Name)));
        lines.Should().Contain(line => line.Contains(",'=cmd|' /C calc'!A0,"));
        lines.Skip(1).SelectMany(line => line.Split(',')).Should().NotContain(cell => cell.StartsWith('=')
            || cell.StartsWith('+') || cell.StartsWith('@'));
    }

    [Fact]
    public async Task Filters_narrow_the_list_by_action_actor_target_and_date()
    {
        var (client, owner) = await factory.SignedInAsync(StaffRole.Owner, "Fiona Filter");
        var key = await factory.KeyAsync(owner);
        await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyService>().RevokeAsync(key.Key.KeyId,
            Seed.ActorOf(owner), "rotated"));
        var today = factory.Time.GetUtcNow().ToString("yyyy-MM-dd");

        var byAction = await client.GetDocumentAsync($"/admin/audit?action=key.revoked&actor=Fiona&target=ds_live_{key.Key.KeyId}&from={today}&to={today}");
        var yesterday = await client.GetDocumentAsync($"/admin/audit?actor=Fiona&to={factory.Time.GetUtcNow().AddDays(-1):yyyy-MM-dd}");

        byAction.QuerySelectorAll("tr.audit-row").Should().ContainSingle().Which.TextContent.Should()
            .Contain("rotated");
        yesterday.QuerySelectorAll("tr.audit-row").Should().BeEmpty();
        (await client.GetDocumentAsync("/admin/audit?action=no.such&page=abc&from=nonsense"))
            .QuerySelectorAll("tr.audit-row").Should().NotBeEmpty("unknown filters are ignored, not errors");
    }

    [Fact]
    public async Task The_log_and_its_export_need_read_audit()
    {
        await factory.RoleAsync("Key keeper", "read:api_keys write:api_keys");
        var (client, _) = await factory.SignedInAsync("Key keeper");

        (await client.GetAsync("/admin/audit")).RedirectTarget().Should().StartWith("/access-denied");
        (await client.GetAsync("/admin/audit/export.csv")).RedirectTarget().Should().StartWith("/access-denied");
        (await factory.CreatePortalClient().GetAsync("/admin/audit/export.csv")).RedirectTarget().Should()
            .StartWith("/login");
    }

    [Fact]
    public async Task The_log_pages_through_events_newest_first()
    {
        var (client, _) = await factory.SignedInAsync(StaffRole.Owner);
        for (var i = 0; i < 60; i++) await factory.CreatePortalClient().SignInAsync($"pager{i}@example.com", "x");
        await factory.AuditAsync(AuditActions.SignInFailed);

        var first = await client.GetDocumentAsync("/admin/audit?actor=pager");
        var second = await client.GetDocumentAsync("/admin/audit?actor=pager&page=2");

        first.QuerySelectorAll("tr.audit-row").Should().HaveCount(AuditQuery.DefaultPageSize);
        first.Text("tr.audit-row").Should().Contain("pager59@example.com");
        second.QuerySelectorAll("tr.audit-row").Should().HaveCount(60 - AuditQuery.DefaultPageSize);
        first.Text("[data-testid=result-count]").Should().Be("60 events");
    }
}

using System.Security.Cryptography;
using System.Text;
using Bunit;
using Bunit.Rendering;
using DiversitySync.Portal.Components.ApiKeys;

namespace DiversitySync.Portal.Tests.Components;

/// <summary>
/// The API Keys page's actions (bUnit, real services and database): create, the show-once secret, who is offered what,
/// Revoke all.
/// </summary>
public class ApiKeysPageTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private Task<List<ApiKey>> KeysAsync() =>
        factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.AsNoTracking().ToListAsync());

    private async Task<(BunitContext Context, IRenderedComponent<ContainerFragment> Page)> PageAsync(StaffMember viewer)
    {
        var (ctx, user) = await PortalComponents.ContextAsync(factory, viewer);
        var page = ctx.RenderPage<ApiKeysPage>(user);
        page.WaitForElement("[data-loaded=true]");
        return (ctx, page);
    }

    private static void FillDrawer(IRenderedComponent<ContainerFragment> page, string name)
    {
        page.Find("[data-testid=open-create]").Click();
        page.WaitForElement("input[data-scope='read:api_keys']:not([disabled])").Change(true);
        page.Find("[data-testid=key-name]").Input(name);
        var live = page.Find("[data-testid=env-live]");
        (live.TagName == "INPUT" ? live : live.QuerySelector("input")!).Click();
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var response = await factory.CreatePortalClient().GetAsync("/admin/api-keys");

        response.RedirectTarget().Should().Be("/login?ReturnUrl=%2Fadmin%2Fapi-keys");
    }

    [Fact]
    public async Task K02_creating_a_key_shows_its_secret_once_and_stores_only_its_hash()
    {
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        var (ctx, page) = await PageAsync(owner);
        await using var _ = ctx;

        FillDrawer(page, "Payroll export");
        page.Find("[data-testid=create-key]").Click();

        var secret = page.WaitForElement("[data-testid=secret]").GetAttribute("value")!;
        page.Find("[data-testid=curl-example]").TextContent.Should().Contain($"-H \"Authorization: Bearer " +
            $"{secret}\"").And.Contain("/oauth/token");
        var key = (await KeysAsync()).Should().ContainSingle().Subject;
        key.SecretHash.Should().Equal(SHA256.HashData(Encoding.ASCII.GetBytes(secret)));
        (key.Name, key.Environment, key.Scopes,
            key.CreatedById).Should().Be(("Payroll export", ApiKeyEnvironment.Live, "read:api_keys", owner.Id));
        page.Find("[data-testid=secret-done]").Click();
        page.WaitForAssertion(() => page.Markup.Should().NotContain(secret));
        page.WaitForAssertion(() => page.FindAll("tr.key-row " +
            "a.key-link").Select(a => a.TextContent).Should().Equal("Payroll export"));
        (await factory.AuditAsync("key.created")).Should().ContainSingle(e => e.ActorId == owner.Id
            && e.ActorType == "staff" && e.ClientIp == "127.0.0.1");
    }

    [Fact]
    public async Task A_custom_expiry_without_a_date_keeps_the_drawer_open_with_the_reason_and_writes_nothing()
    {
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        var (ctx, page) = await PageAsync(owner);
        await using var _ = ctx;

        FillDrawer(page, "Temporary import");
        // A MudSelect opens on mouse-down on its input control.
        var select = page.Find("[data-testid=expires-in]");
        while (!select.HasAttribute("blazor:onmousedown")) select = select.ParentElement!;
        select.MouseDown();
        page.WaitForAssertion(() => page.FindAll(".mud-popover-open " +
            "*").Should().Contain(e => e.TextContent.Trim() == "Custom date"));
        page.FindAll(".mud-popover-open *").Last(e => e.TextContent.Trim() == "Custom date"
            && e.HasAttribute("blazor:onclick")).Click();
        page.WaitForElement("#expires-on");
        page.Find("[data-testid=create-key]").Click();

        page.WaitForAssertion(() => page.Markup.Should().Contain("Enter the expiry date, or choose another option."));
        page.Find("[data-testid=key-name]").GetAttribute("value").Should().Be("Temporary import", "the input is kept");
        (await KeysAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Read_only_admins_are_offered_neither_create_nor_revoke()
    {
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.KeyAsync(owner, name: "Payroll export");
        var reader = await factory.StaffAsync(StaffRoleNames.ReadOnly);
        var (ctx, page) = await PageAsync(reader);
        await using var _ = ctx;

        page.FindAll("tr.key-row").Should().ContainSingle();
        page.FindAll("[data-testid=open-create]").Should().BeEmpty();
        page.FindAll("[data-testid=revoke-all]").Should().BeEmpty();
        page.FindAll("#create-key").Should().BeEmpty();
        page.Find("[data-testid=row-menu] button").Click();
        page.WaitForElement("[data-testid=view-details]");
        page.FindAll("[data-testid=revoke-key]").Should().BeEmpty();
    }

    [Fact]
    public async Task Revoke_all_is_for_owners_and_needs_the_typed_phrase()
    {
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        await factory.KeyAsync(owner);
        await factory.KeyAsync(owner);
        var admin = await factory.StaffAsync(StaffRoleNames.Admin);
        var (adminContext, adminPage) = await PageAsync(admin);
        await using (adminContext) adminPage.FindAll("[data-testid=revoke-all]").Should().BeEmpty();
        var (ctx, page) = await PageAsync(owner);
        await using var _ = ctx;

        page.Find("[data-testid=revoke-all]").Click();
        page.WaitForElement("[data-testid=revoke-all-dialog], .mud-dialog").TextContent.Should().Contain("all 2 keys " +
            "that are not revoked yet");
        page.Find("#revoke-all-confirm").Input("yes");
        page.Find("[data-testid=confirm-revoke-all]").HasAttribute("disabled").Should().BeTrue();
        page.Find("#revoke-all-confirm").Input(ApiKeyService.RevokeAllPhrase);
        page.Find("[data-testid=confirm-revoke-all]").Click();

        page.WaitForAssertion(() => page.Markup.Should().Contain("Revoked 2 keys"));
        (await KeysAsync()).Should().HaveCount(2).And.OnlyContain(k => k.RevokedAt != null);
        (await factory.AuditAsync("key.revoked_all")).Should().ContainSingle();
    }
}

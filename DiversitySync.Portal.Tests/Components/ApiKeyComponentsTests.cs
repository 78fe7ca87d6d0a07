using Bunit;
using DiversitySync.Portal.Components.ApiKeys;
using MudBlazor;
using MudBlazor.Services;

namespace DiversitySync.Portal.Tests.Components;

/// <summary>
/// bUnit with MudBlazor: the create drawer, its scope list, the show-once dialog and a key row's menu.
/// </summary>
public class ApiKeyComponentsTests
{
    private const string Secret = "ds_live_2f1ac3d0e5b7a9c1_0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly ScopeResource[] Rows =
    [
        new("api_keys", "API keys",
        [
            new("read:api_keys", "View organisation API keys", "API keys"),
            new("write:api_keys", "Create and revoke organisation API keys", "API keys"),
        ], []),
        new("staff", "Users",
        [
            new("read:users", "View the users tab in the admin panel", "Users"),
            new("write:roles", "Add or remove users from roles", "Users"),
        ], ["name", "email", "status"]),
        new("participants", "Participants", [new("read:participants", "View participants", "Participants")], []),
    ];

    private static BunitContext Mud()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return ctx;
    }

    private static ApiKeyView View(ApiKeyStatus status = ApiKeyStatus.Active) => new(
        "2f1ac3d0e5b7a9c1", "Payroll export", "Nightly payroll file", ApiKeyEnvironment.Live, status, ["read:api_keys"],
        KeyAccess.ReadOnly, new Dictionary<string, IReadOnlyList<string>>(),
        new DateTime(2026, 11, 12, 9, 30, 0, DateTimeKind.Utc), new StaffRef("olive", "Olive Owner"), null,
        null, null, null, null, null, null, null, null, null, []);

    /// <summary>
    /// The picker with its selection and fields kept the way the drawer keeps them (two-way binding).
    /// </summary>
    private static (IRenderedComponent<ScopePicker> Picker, Func<IReadOnlySet<string>> Selected,
        Func<IReadOnlyDictionary<string, IReadOnlySet<string>>> Fields) Picker(
        BunitContext ctx, params string[] held)
    {
        IReadOnlySet<string> selected = new HashSet<string>();
        IReadOnlyDictionary<string, IReadOnlySet<string>> fields = new Dictionary<string, IReadOnlySet<string>>();
        IRenderedComponent<ScopePicker>? picker = null;
        picker = ctx.Render<ScopePicker>(p => p
            .Add(c => c.Rows, Rows)
            .Add(c => c.Held, held.ToHashSet())
            .Add(c => c.Selected, selected)
            .Add(c => c.SelectedChanged, (IReadOnlySet<string> next) =>
            {
                selected = next;
                picker!.Render(q => q.Add(c => c.Selected, next));
            })
            .Add(c => c.FieldsChanged, (IReadOnlyDictionary<string, IReadOnlySet<string>> next) =>
            {
                fields = next;
                picker!.Render(q => q.Add(c => c.Fields, next));
            }));
        return (picker, () => selected, () => fields);
    }

    [Fact]
    public async Task One_row_per_resource_with_its_verbs_as_toggles()
    {
        await using var ctx = Mud();
        var (picker, _, _) = Picker(ctx, "read:api_keys");

        picker.FindAll("[data-resource-row]").Select(r => r.QuerySelector("h3")!.TextContent).Should().Equal("API keys",
            "Users", "Participants");
        var users = picker.Find("[data-resource-row=staff]");
        users.QuerySelectorAll("[data-scope-row] .verb-label").Select(v => v.TextContent).Should().Equal("read",
            "write roles");
        users.TextContent.Should().Contain("Add or remove users from roles", "each verb comes with its description");
    }

    [Fact]
    public async Task Filter_and_select_all_act_on_visible_rows_and_held_verbs_only()
    {
        await using var ctx = Mud();
        var (picker, selected, _) = Picker(ctx, "read:api_keys", "write:api_keys", "read:participants");

        picker.Find("#scope-filter").Input("api keys");
        picker.FindAll("[data-resource-row]").Should().HaveCount(1);
        picker.Find("[data-testid=select-all]").Click();

        selected().Should().BeEquivalentTo(["read:api_keys", "write:api_keys"],
            "the participants scope is held but filtered out");
        picker.Find("#scope-filter").Input("");
        picker.Find("[data-testid=select-all]").Click();
        selected().Should().BeEquivalentTo(["read:api_keys", "write:api_keys", "read:participants"],
            "the Users verbs are not held");
    }

    [Fact]
    public async Task The_fields_control_starts_at_all_fields_and_limits_to_the_chosen_ones()
    {
        await using var ctx = Mud();
        var (picker, _, fields) = Picker(ctx, "read:users");
        picker.FindAll("[data-testid=fields-staff]").Should().BeEmpty("no Users verb is chosen yet");

        picker.Find("input[data-scope='read:users']").Change(true);
        picker.Find("[data-testid=fields-staff]").TextContent.Should().Contain("Fields: All fields");
        fields().Should().BeEmpty("a resource left alone is not limited");

        picker.Find("[data-testid=fields-staff]").Click();
        picker.Find("input[data-testid=some-fields-staff], [data-testid=some-fields-staff] input").Click();
        picker.Find("input[data-field=email]").Change(true);
        picker.Find("input[data-field=name]").Change(true);

        fields()["staff"].Should().BeEquivalentTo(["name", "email"]);
        picker.Find("[data-testid=fields-staff]").TextContent.Should().Contain("Fields: name, email");
    }

    [Fact]
    public async Task Fields_of_a_resource_the_viewer_cannot_read_cannot_be_chosen()
    {
        await using var ctx = Mud();
        var (picker, _, _) = Picker(ctx, "write:roles");

        picker.Find("input[data-scope='write:roles']").Change(true);

        picker.Find("[data-testid=fields-staff]").HasAttribute("disabled").Should().BeTrue();
        picker.Find("[data-resource-row=staff]").TextContent.Should().Contain("You do not hold read:users, so you " +
            "cannot limit its fields.");
    }

    [Fact]
    public async Task A_scope_the_viewer_does_not_hold_is_disabled_with_the_reason()
    {
        await using var ctx = Mud();
        var (picker, _, _) = Picker(ctx, "read:api_keys");

        var row = picker.FindAll("[data-scope-row]").Single(r => r.TextContent.Contains("write:roles"));
        row.QuerySelector("input")!.HasAttribute("disabled").Should().BeTrue();
        // As read on screen: the markup's line breaks are spaces.
        System.Text.RegularExpressions.Regex.Replace(row.TextContent, @"\s+", " ").Should()
            .Contain("You do not hold this permission, so no key you create can.");
    }

    [Fact]
    public async Task Create_key_stays_disabled_until_there_is_a_name_and_a_scope()
    {
        await using var factory = new PortalFactory();
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var (ctx, _) = await PortalComponents.ContextAsync(factory, owner);
        await using var __ = ctx;
        ctx.Render<MudPopoverProvider>();
        var drawer = ctx.Render<CreateKeyDrawer>(p => p.Add(c => c.Open, true));
        var create = () => drawer.Find("[data-testid=create-key]");

        drawer.WaitForElement("input[data-scope='read:api_keys']:not([disabled])");
        create().HasAttribute("disabled").Should().BeTrue("nothing is filled in");
        drawer.Find("[data-testid=key-name]").Input("Nightly export");
        create().HasAttribute("disabled").Should().BeTrue("no scope yet");
        drawer.Find("input[data-scope='read:api_keys']").Change(true);
        create().HasAttribute("disabled").Should().BeFalse();
        drawer.Find("[data-testid=key-name]").Input("   ");
        create().HasAttribute("disabled").Should().BeTrue("a blank name is no name");
    }

    [Fact]
    public async Task K12_the_drawer_shows_the_key_policy_and_offers_only_the_expiries_it_allows()
    {
        await using var factory = new PortalFactory();
        var owner = await factory.StaffAsync(StaffRole.Owner);
        await factory.WithScopeAsync(s => s.GetRequiredService<KeyPolicyService>().SaveAsync(
            new KeyPolicy(LiveMaxLifetimeDays: 90, WriteKeysNeedAllowlist: true), Actor.System));
        var (ctx, _) = await PortalComponents.ContextAsync(factory, owner);
        await using var __ = ctx;
        var popovers = ctx.Render<MudPopoverProvider>();
        var drawer = ctx.Render<CreateKeyDrawer>(p => p.Add(c => c.Open, true));
        drawer.WaitForElement("input[data-scope='read:api_keys']:not([disabled])");
        IReadOnlyList<string> Offered()
        {
            var select = drawer.Find("[data-testid=expires-in]");
            while (!select.HasAttribute("blazor:onmousedown")) select = select.ParentElement!;
            select.MouseDown();
            popovers.WaitForAssertion(() => popovers.FindAll(".mud-popover-open .mud-list-item").Should().NotBeEmpty());
            List<string> offered = [.. popovers.FindAll(".mud-popover-open .mud-list-item").Select(e => e.TextContent.Trim())];
            select.MouseDown(); // closed again
            popovers.WaitForAssertion(() => popovers.FindAll(".mud-popover-open .mud-list-item").Should().BeEmpty());
            return offered;
        }

        drawer.Find("[data-testid=key-policy-rules]").TextContent.Should().Contain("Live keys expire within 90 days")
            .And.Contain("Keys holding a write: scope need an IP allowlist");
        Offered().Should().Equal("Never", "7 days", "30 days", "60 days", "90 days", "1 year", "Custom date");
        var live = drawer.Find("[data-testid=env-live]");
        (live.TagName == "INPUT" ? live : live.QuerySelector("input")!).Click();

        Offered().Should().Equal("7 days", "30 days", "60 days", "90 days", "Custom date");
        drawer.Find("[data-testid=expires-in]").TextContent.Trim().Should().Be("90 days",
            "Never is not allowed for a live key: the longest allowed choice replaces it");
        drawer.Find("input[data-scope='write:api_keys']").Change(true);
        drawer.Markup.Should().Contain("IP allowlist (required by the key policy for write: scopes)");
    }

    [Fact]
    public async Task The_secret_dialog_shows_the_key_once_and_forgets_it_on_close()
    {
        await using var ctx = Mud();
        var provider = ctx.Render<MudDialogProvider>();
        var dialogs = ctx.Services.GetRequiredService<IDialogService>();

        await provider.InvokeAsync(() => dialogs.ShowAsync<SecretDialog>("Save your API key",
            new DialogParameters<SecretDialog>
        {
            { d => d.Created, new NewApiKey(View(), Secret) },
            { d => d.TokenUrl, "https://portal.example/oauth/token" },
        }));

        provider.WaitForElement("[data-testid=secret]").GetAttribute("value").Should().Be(Secret);
        provider.Find("[data-testid=secret]").HasAttribute("readonly").Should().BeTrue();
        provider.Find("[data-testid=curl-example]").TextContent
            .Should().Be($"curl -X POST https://portal.example/oauth/token \\\n  -H \"Authorization: Bearer " +
                $"{Secret}\"");
        provider.Markup.Should().Contain("This key will not be shown again.");
        provider.Find("[data-testid=secret-done]").Click();
        provider.WaitForAssertion(() => provider.Markup.Should().NotContain(Secret));
    }

    [Theory]
    [InlineData(true, ApiKeyStatus.Active, true)]
    [InlineData(false, ApiKeyStatus.Active, false)]
    [InlineData(true, ApiKeyStatus.Revoked, false)]
    public async Task A_row_offers_revoke_only_when_the_viewer_may_and_the_key_is_not_revoked(bool canRevoke,
        ApiKeyStatus status, bool offered)
    {
        await using var ctx = Mud();
        var popovers = ctx.Render<MudPopoverProvider>();
        var menu = ctx.Render<KeyMenu>(p => p.Add(c => c.Key, View(status)).Add(c => c.CanRevoke, canRevoke));

        menu.Find("button").Click();

        popovers.WaitForElement("[data-testid=copy-key-id]").GetAttribute("data-copy").Should()
            .Be("ds_live_2f1ac3d0e5b7a9c1");
        popovers.FindAll("[data-testid=revoke-key]").Should().HaveCount(offered ? 1 : 0);
    }
}

using Bunit;
using DiversitySync.Portal.Components.Users;

namespace DiversitySync.Portal.Tests.Users;

/// <summary>
/// The Users page (bUnit, real services and database): what each viewer is offered, its dialogs, and that the
/// services refuse what a viewer may not do, whatever a screen offered.
/// </summary>
public class UsersPageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private Task<int> WritesAsync() => factory.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<PortalDbContext>();
        return await db.Users.CountAsync() + await db.UserRoles.CountAsync() + await db.StaffLinks.CountAsync() + await db.Roles.CountAsync()
            + await db.Users.CountAsync(u => u.Status != StaffStatus.Active);
    });

    /// <summary>The Users page as <paramref name="viewer"/> sees it, filtered to <paramref name="search"/>.</summary>
    private async Task<(BunitContext Context,
        IRenderedComponent<Bunit.Rendering.ContainerFragment> Page)> PageAsync(StaffMember viewer, string search)
    {
        var (ctx, user) = await PortalComponents.ContextAsync(factory, viewer);
        ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>()
            .NavigateTo($"{UserListState.Path}?q={Uri.EscapeDataString(search)}");
        var page = ctx.RenderPage<UsersPage>(user);
        page.WaitForElement("tr.user-row");
        return (ctx, page);
    }

    private static void Choose(IRenderedComponent<Bunit.Rendering.ContainerFragment> page, string menuItem)
    {
        page.Find("[data-testid=user-menu] button").Click();
        page.WaitForElement($"[data-testid=user-action-{menuItem}]").Click();
    }

    [Fact]
    public async Task A_read_only_admin_sees_staff_with_their_roles_but_is_offered_no_actions()
    {
        var rita = await factory.StaffAsync(StaffRole.Admin, "Rita Readable");
        var viewer = await factory.StaffAsync(StaffRole.ReadOnly);

        var (ctx, page) = await PageAsync(viewer, "Readable");
        await using var _ = ctx;

        page.Find("tr.user-row").TextContent.Should().Contain("Rita " +
            "Readable").And.Contain("Admin").And.Contain("Active");
        page.FindAll("[data-testid=user-menu]").Should().BeEmpty();
        page.FindAll("[data-testid=open-invite]").Should().BeEmpty();
        // Whatever a screen offered: the service refuses (P-06).
        (await factory.WithScopeAsync(s => s.GetRequiredService<StaffStanding>().ArchiveAsync(rita.Id,
            Seed.ActorOf(viewer)))).Refusal!.Kind.Should().Be(RefusalKind.Forbidden);
        (await factory.StandingAsync(rita.Id)).Status.Should().Be(StaffStatus.Active);
    }

    [Fact]
    public async Task Staff_without_read_users_cannot_open_the_page()
    {
        await factory.RoleAsync("Key keeper", "read:api_keys write:api_keys");
        var (client, _) = await factory.SignedInAsync("Key keeper");

        (await client.GetAsync("/admin/users")).RedirectTarget().Should().StartWith("/access-denied");
    }

    [Fact]
    public async Task Inviting_shows_the_link_once_and_forgets_it_when_the_dialog_closes()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner, "Ines Inviter");
        var (ctx, page) = await PageAsync(owner, "Ines Inviter");
        await using var _ = ctx;

        page.Find("[data-testid=open-invite]").Click();
        page.WaitForElement("[data-testid=invite-name]").Input("Nina New");
        page.Find("[data-testid=invite-email]").Input("nina.new@example.com");
        page.Find("[data-testid=role-ReadOnly]").Change(true);
        page.Find("[data-testid=send-invite]").Click();

        var link = page.WaitForElement("[data-testid=one-time-link]").GetAttribute("value")!;
        link.Should().Contain("/account/password?token=");
        page.Find("[data-testid=link-done]").Click();
        page.WaitForAssertion(() => page.Markup.Should().NotContain(new Uri(link).Query, "the link is shown once"));
        (await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().Users.SingleAsync(u => u.Email == "nina.new@example.com"))).Status.Should().Be(StaffStatus.Invited);
    }

    public static TheoryData<string, string, StaffAction, string> RefusedActions => new()
    {
        // viewer role, target role, action, roles asked for
        { StaffRole.Admin, StaffRole.ReadOnly, StaffAction.ChangeRoles, StaffRole.Owner },
        { StaffRole.Admin, StaffRole.Owner, StaffAction.Archive, "" },
        { StaffRole.Admin, StaffRole.Owner, StaffAction.Block, "" },
        { StaffRole.Admin, StaffRole.Owner, StaffAction.ResetMfa, "" },
        { "Auditor", StaffRole.Admin, StaffAction.ChangeRoles, "Auditor" },
        { "Auditor", StaffRole.ReadOnly, StaffAction.ChangeRoles, StaffRole.Admin },
    };

    [Theory]
    [MemberData(nameof(RefusedActions))]
    public async Task Nobody_can_give_or_take_more_than_they_hold_whatever_the_screen_offered(string viewerRole,
        string targetRole, StaffAction action, string roles)
    {
        await factory.RoleAsync("Auditor", "read:users write:roles read:audit");
        var viewer = await factory.StaffAsync(viewerRole);
        var target = await factory.StaffAsync(targetRole);
        var before = await WritesAsync();

        var change = await factory.WithScopeAsync(s => action == StaffAction.ChangeRoles
            ? s.GetRequiredService<StaffRoles>().SetRolesAsync(target.Id, [roles], Seed.ActorOf(viewer))
            : StaffActionText.RunAsync(new Portal.Components.Circuits.PerAction(s.GetRequiredService<IServiceScopeFactory>()), action, target.Id, Seed.ActorOf(viewer)));

        change.Refusal.Should().NotBeNull();
        (await WritesAsync()).Should().Be(before, "a refused action writes nothing");
        (await factory.StandingAsync(target.Id)).Roles.Should().Equal(targetRole);
        (await factory.StandingAsync(viewer.Id)).Roles.Should().Equal(viewerRole);
    }

    [Fact]
    public async Task Inviting_someone_as_an_Owner_is_refused_for_an_Admin_with_nothing_written()
    {
        var admin = await factory.StaffAsync(StaffRole.Admin);
        var before = await WritesAsync();

        var change = await factory.WithScopeAsync(s => s.GetRequiredService<StaffInvites>()
            .InviteAsync("mallory@example.com", "Mallory", [StaffRole.Owner], Seed.ActorOf(admin)));

        change.Refusal!.Message.Should().Be("Only an Owner can make someone an Owner.");
        (await WritesAsync()).Should().Be(before);
    }

    [Fact]
    public async Task P02_the_old_form_actions_are_gone_so_neither_GET_nor_POST_changes_anyone()
    {
        var (client, _) = await factory.SignedInAsync(StaffRole.Owner);
        var target = await factory.StaffAsync(StaffRole.Admin);

        var posted = await client.PostFormAsync($"/admin/users/{target.Id}/archive", [new("returnUrl", "/admin/users")],
            formPage: "/account/profile");
        var byGet = await client.GetAsync($"/admin/users/{target.Id}/archive");

        ((int)posted.StatusCode).Should().BeGreaterThanOrEqualTo(400);
        ((int)byGet.StatusCode).Should().BeGreaterThanOrEqualTo(400);
        (await factory.StandingAsync(target.Id)).Status.Should().Be(StaffStatus.Active);
    }

    [Fact]
    public async Task The_archive_dialog_says_how_many_keys_will_be_revoked_and_archiving_revokes_them()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var target = await factory.StaffAsync(StaffRole.Admin, "Kim Keys");
        for (var i = 0; i < 3; i++) await factory.KeyAsync(target);
        var (ctx, page) = await PageAsync(owner, "Kim Keys");
        await using var _ = ctx;

        Choose(page, "archive");
        page.WaitForElement("[data-testid=archive-key-count]").TextContent.Should().Contain("3 active API keys will " +
            "be revoked");
        page.Find("[data-testid=confirm-user-action]").Click();

        page.WaitForAssertion(() => page.Markup.Should().Contain("Archived Kim Keys and revoked 3 active keys."));
        (await factory.StandingAsync(target.Id)).Status.Should().Be(StaffStatus.Archived);
        page.WaitForAssertion(() => page.Find("tr.user-row " +
            "[data-testid=staff-status]").TextContent.Trim().Should().Be("Archived"));
    }

    [Fact]
    public async Task An_owner_makes_a_custom_role_and_its_holder_gets_exactly_its_permissions()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var target = await factory.StaffAsync(StaffRole.ReadOnly, "Cora Custom");

        var saved = await factory.WithScopeAsync(s => s.GetRequiredService<StaffRoles>().SaveRoleAsync("Key reviewer",
            "Reads keys and the log", ["read:api_keys", "read:audit"], Seed.ActorOf(owner)));
        var given = await factory.WithScopeAsync(s => s.GetRequiredService<StaffRoles>().SetRolesAsync(target.Id,
            ["Key reviewer"], Seed.ActorOf(owner)));

        saved.Succeeded.Should().BeTrue();
        given.Succeeded.Should().BeTrue();
        var (ctx, page) = await PageAsync(owner, "Cora");
        await using var _ = ctx;
        page.Find("[data-role='Key reviewer']").ParentElement!.TextContent.Should()
            .Contain("read:api_keys").And.Contain("read:audit");
        var staff = (await factory.WithScopeAsync(s => s.GetRequiredService<StaffQueries>().GetAsync(Actor.System,
            target.Id))).Value;
        staff!.Permissions.Should().Equal("read:api_keys", "read:audit");
    }

    [Fact]
    public async Task A_role_cannot_be_given_a_permission_its_maker_lacks_or_take_a_built_in_name()
    {
        await factory.RoleAsync("Role keeper", "read:users write:roles");
        var keeper = Seed.ActorOf(await factory.StaffAsync("Role keeper"));
        var before = (await factory.WithScopeAsync(s =>
            s.GetRequiredService<StaffQueries>().RolesAsync(Actor.System))).Value;

        async Task<Outcome<StaffChange>> SaveAsync(string name, params string[] permissions) =>
            await factory.WithScopeAsync(s => s.GetRequiredService<StaffRoles>().SaveRoleAsync(name, null, permissions,
                keeper));

        (await SaveAsync("Sneaky", "write:api_keys")).Refusal.Should().NotBeNull();
        (await SaveAsync("Owner", "read:users")).Refusal.Should().NotBeNull();
        (await SaveAsync("Role keeper", "read:users", "write:roles", "read:audit")).Refusal.Should().NotBeNull();
        (await factory.WithScopeAsync(s => s.GetRequiredService<StaffQueries>().RolesAsync(Actor.System))).Value.Should().BeEquivalentTo(before);
    }
}

using DiversitySync.Portal.Audit;
using System.Net;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DiversitySync.Portal.Tests.Users;

/// <summary>The Users page through real HTTP: what each viewer is offered, and forms that must change nothing.</summary>
public class UsersPageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private Task<int> WritesAsync() => factory.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<PortalDbContext>();
        return await db.Users.CountAsync() + await db.UserRoles.CountAsync() + await db.StaffLinks.CountAsync()
            + await db.Users.CountAsync(u => u.Status != StaffStatus.Active);
    });

    private static Task<HttpResponseMessage> ActionAsync(HttpClient client, string staffId, string action, params KeyValuePair<string, string>[] fields) =>
        client.PostFormAsync($"/admin/users/{staffId}/{action}", [.. fields, new("returnUrl", "/admin/users")], "/admin/users");

    [Fact]
    public async Task A_read_only_admin_sees_staff_with_their_roles_but_is_offered_no_actions()
    {
        var rita = await factory.StaffAsync(StaffRole.Admin, "Rita Readable");
        var (client, _) = await factory.SignedInAsync(StaffRole.ReadOnly);

        var page = await client.GetDocumentAsync("/admin/users?q=Readable");

        page.Text("[data-testid=user-row]").Should().Contain("Rita Readable").And.Contain("Admin").And.Contain("Active");
        page.QuerySelector("[data-testid=user-menu]").Should().BeNull();
        page.QuerySelector("[data-testid=open-invite]").Should().BeNull();
        (await ActionAsync(client, rita.Id, "archive")).RedirectTarget().Should().StartWith("/access-denied");
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
    public async Task Inviting_shows_the_link_once_in_a_no_store_response()
    {
        var (client, _) = await factory.SignedInAsync(StaffRole.Owner);

        var response = await client.PostFormAsync("/admin/users",
            [new("_handler", "invite"), new("displayName", "Nina New"), new("email", "nina.new@example.com"), new("roles", "ReadOnly")], "/admin/users");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var link = Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[data-testid=one-time-link]")!.GetAttribute("value")!;
        link.Should().Contain("/account/password?token=");
        (await client.GetStringAsync("/admin/users")).Should().NotContain(new Uri(link).Query, "the link is shown once");
    }

    public static TheoryData<string, string, string, string> ForgedForms => new()
    {
        // viewer role, target role, action, roles field
        { StaffRole.Admin, StaffRole.ReadOnly, "roles", StaffRole.Owner },
        { StaffRole.Admin, StaffRole.Owner, "archive", "" },
        { StaffRole.Admin, StaffRole.Owner, "block", "" },
        { StaffRole.Admin, StaffRole.Owner, "reset-mfa", "" },
        { "Auditor", StaffRole.Admin, "roles", "Auditor" },
        { "Auditor", StaffRole.ReadOnly, "roles", StaffRole.Admin },
    };

    [Theory]
    [MemberData(nameof(ForgedForms))]
    public async Task Forged_forms_cannot_give_or_take_more_than_the_viewer_holds(string viewerRole, string targetRole, string action, string roles)
    {
        await factory.RoleAsync("Auditor", "read:users write:roles read:audit");
        var (client, viewer) = await factory.SignedInAsync(viewerRole);
        var target = await factory.StaffAsync(targetRole);
        var before = await WritesAsync();

        var response = await ActionAsync(client, target.Id, action, roles.Length > 0 ? [new("roles", roles)] : []);

        (await WritesAsync()).Should().Be(before, "a refused form writes nothing");
        (await factory.StandingAsync(target.Id)).Roles.Should().Equal(targetRole);
        (await factory.StandingAsync(viewer.Id)).Roles.Should().Equal(viewerRole);
        // Either the viewer lacks the action's permission altogether, or the rules refuse this target or these roles.
        if (response.RedirectTarget().StartsWith("/access-denied", StringComparison.Ordinal)) return;
        (await client.GetStringAsync("/admin/users")).Should().Contain("Nothing was changed");
    }

    [Fact]
    public async Task Inviting_someone_as_an_Owner_is_refused_for_an_Admin_with_nothing_written()
    {
        var (client, _) = await factory.SignedInAsync(StaffRole.Admin);
        var before = await WritesAsync();

        var response = await client.PostFormAsync("/admin/users",
            [new("_handler", "invite"), new("displayName", "Mallory"), new("email", "mallory@example.com"), new("roles", StaffRole.Owner)], "/admin/users");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Only an Owner can make someone an Owner.");
        (await WritesAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Actions_without_an_antiforgery_token_or_by_GET_change_nothing()
    {
        // P-01, P-02
        var (client, _) = await factory.SignedInAsync(StaffRole.Owner);
        var target = await factory.StaffAsync(StaffRole.Admin);

        var forged = await client.PostFormAsync($"/admin/users/{target.Id}/archive", [new("returnUrl", "/admin/users")], formPage: null);
        var byGet = await client.GetAsync($"/admin/users/{target.Id}/archive");

        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        byGet.StatusCode.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        (await factory.StandingAsync(target.Id)).Status.Should().Be(StaffStatus.Active);
    }

    [Fact]
    public async Task The_archive_dialog_says_how_many_keys_will_be_revoked_and_the_action_revokes_them()
    {
        var (client, _) = await factory.SignedInAsync(StaffRole.Owner);
        var target = await factory.StaffAsync(StaffRole.Admin, "Kim Keys");
        await factory.KeyAsync(target);
        await factory.KeyAsync(target);
        await factory.KeyAsync(target);

        var page = await client.GetDocumentAsync($"/admin/users?q=Kim%20Keys&confirm=archive:{target.Id}");
        var response = await ActionAsync(client, target.Id, "archive");

        page.Text($"#user-archive-{target.Id} [data-testid=archive-key-count]").Should().Contain("3 active API keys will be revoked");
        response.RedirectTarget().Should().Be("/admin/users");
        (await client.GetStringAsync("/admin/users")).Should().Contain("Archived Kim Keys and revoked 3 active keys.");
        (await factory.StandingAsync(target.Id)).Status.Should().Be(StaffStatus.Archived);
    }

    [Fact]
    public async Task An_owner_makes_a_custom_role_and_its_holder_gets_exactly_its_permissions()
    {
        var (client, _) = await factory.SignedInAsync(StaffRole.Owner);
        var target = await factory.StaffAsync(StaffRole.ReadOnly, "Cora Custom");

        var saved = await client.PostFormAsync("/admin/users/roles",
            [new("name", "Key reviewer"), new("description", "Reads keys and the log"), new("permissions", "read:api_keys"), new("permissions", "read:audit"), new("returnUrl", "/admin/users")],
            "/admin/users");
        await ActionAsync(client, target.Id, "roles", new KeyValuePair<string, string>("roles", "Key reviewer"));

        saved.RedirectTarget().Should().Be("/admin/users");
        var page = await client.GetDocumentAsync("/admin/users?q=Cora");
        page.Text("[data-testid=role-row][data-role='Key reviewer']").Should().Contain("read:api_keys").And.Contain("read:audit");
        var staff = (await factory.WithScopeAsync(s => s.GetRequiredService<StaffQueries>().GetAsync(Actor.System, target.Id))).Value;
        staff!.Permissions.Should().Equal("read:api_keys", "read:audit");
    }

    [Fact]
    public async Task A_role_cannot_be_given_a_permission_its_maker_lacks_or_take_a_built_in_name()
    {
        await factory.RoleAsync("Role keeper", "read:users write:roles");
        var (client, _) = await factory.SignedInAsync("Role keeper");
        var before = (await factory.WithScopeAsync(s => s.GetRequiredService<StaffQueries>().RolesAsync(Actor.System))).Value;

        await client.PostFormAsync("/admin/users/roles", [new("name", "Sneaky"), new("permissions", "write:api_keys")], "/admin/users");
        await client.PostFormAsync("/admin/users/roles", [new("name", "Owner"), new("permissions", "read:users")], "/admin/users");
        await client.PostFormAsync("/admin/users/roles", [new("name", "Role keeper"), new("permissions", "read:users"), new("permissions", "write:roles"), new("permissions", "read:audit")], "/admin/users");

        (await factory.WithScopeAsync(s => s.GetRequiredService<StaffQueries>().RolesAsync(Actor.System))).Value.Should().BeEquivalentTo(before);
        (await client.GetStringAsync("/admin/users")).Should().Contain("Nothing was changed");
    }
}

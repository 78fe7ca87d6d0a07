using System.Net;
using DiversitySync.Portal.Components.Shared;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DiversitySync.Portal.Tests.Components;

/// <summary>The API Keys page through real HTTP: its forms, actions and query string.</summary>
public class ApiKeysPageTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private Task<List<ApiKey>> KeysAsync() => factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.AsNoTracking().ToListAsync());

    private static List<KeyValuePair<string, string>> CreateForm(string name = "Payroll export", params string[] scopes) =>
    [
        new("name", name), new("description", "Nightly payroll file"), new("environment", "live"), new("expires_in", "30"),
        new("request_id", OneTimeForms.NewId()),
        .. (scopes.Length == 0 ? [ScopeCatalog.ReadApiKeys] : scopes).Select(s => new KeyValuePair<string, string>("scope", s)),
    ];

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var response = await factory.CreatePortalClient().GetAsync("/admin/api-keys");

        response.RedirectTarget().Should().Be("/login?ReturnUrl=%2Fadmin%2Fapi-keys");
    }

    [Fact]
    public async Task Creating_a_key_shows_its_secret_once_in_a_no_store_response_and_stores_only_its_hash()
    {
        var (client, owner) = await factory.SignedInAsync();

        var response = await client.PostFormAsync("/admin/api-keys", [.. CreateForm(), new("_handler", "create-key")], "/admin/api-keys");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        var secret = page.QuerySelector("[data-testid=secret]")!.GetAttribute("value")!;
        page.Text("[data-testid=curl-example]").Should().Contain($"-H \"Authorization: Bearer {secret}\"").And.Contain("/oauth/token");
        page.Text("[data-testid=secret-dialog]").Should().Contain("This key will not be shown again.");
        var key = (await KeysAsync()).Should().ContainSingle().Subject;
        key.SecretHash.Should().Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(secret)));
        (key.Name, key.Environment, key.Scopes, key.CreatedById).Should().Be(("Payroll export", ApiKeyEnvironment.Live, "read:api_keys", owner.Id));
        key.ExpiresAt.Should().BeCloseTo(factory.Time.GetUtcNow().UtcDateTime.AddDays(30), TimeSpan.FromSeconds(1));
        page.KeyNames().Should().Equal("Payroll export");

        var reloaded = await client.GetStringAsync("/admin/api-keys");
        reloaded.Should().NotContain(secret).And.NotContain("data-testid=\"secret-dialog\"");
        (await factory.AuditAsync("key.created")).Should().ContainSingle(e => e.ActorId == owner.Id && e.ActorType == "staff");
    }

    [Fact]
    public async Task Sending_the_same_create_form_twice_makes_one_key_and_shows_no_second_secret()
    {
        var (client, _) = await factory.SignedInAsync();
        List<KeyValuePair<string, string>> form = [.. CreateForm(), new("_handler", "create-key")];
        await client.PostFormAsync("/admin/api-keys", form, "/admin/api-keys");

        var again = await client.PostFormAsync("/admin/api-keys", form, "/admin/api-keys");

        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var page = Html.Parse(await again.Content.ReadAsStringAsync());
        page.Text("[data-testid=status-message]").Should().Contain("already sent, so no other key was created");
        page.QuerySelector("[data-testid=secret]").Should().BeNull();
        (await KeysAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task P01_creating_without_the_antiforgery_field_is_400_and_writes_nothing()
    {
        var (client, _) = await factory.SignedInAsync();

        var response = await client.PostFormAsync("/admin/api-keys", [.. CreateForm(), new("_handler", "create-key")], formPage: null);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await KeysAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task P01_a_token_from_another_session_is_refused()
    {
        var (client, _) = await factory.SignedInAsync();
        var (other, _) = await factory.SignedInAsync();
        var othersToken = await Forms.AntiforgeryTokenAsync(other, "/admin/api-keys");

        var response = await client.PostAsync("/admin/api-keys", new FormUrlEncodedContent(
            [.. CreateForm(), new("_handler", "create-key"), new("__RequestVerificationToken", othersToken)]));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await KeysAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task P06_a_forged_scope_the_viewer_lacks_is_refused_with_the_reason_and_writes_nothing()
    {
        var (client, _) = await factory.SignedInAsync(StaffRoleNames.Admin);

        var response = await client.PostFormAsync("/admin/api-keys",
            [.. CreateForm("Escalation", ScopeCatalog.ReadApiKeys, ScopeCatalog.WriteRoles), new("_handler", "create-key")], "/admin/api-keys");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        page.Text("#scopes-error").Should().Contain("You cannot grant write:roles: you do not hold that permission.");
        page.QuerySelector("#create-key.show").Should().NotBeNull("the drawer re-opens with the errors");
        page.QuerySelector("#key-name")!.GetAttribute("value").Should().Be("Escalation", "the input is kept");
        page.QuerySelector("#scope-write-roles")!.HasAttribute("disabled").Should().BeTrue();
        (await KeysAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task P06_fields_that_are_not_in_the_form_cannot_be_bound()
    {
        var (client, owner) = await factory.SignedInAsync();
        var other = await factory.StaffAsync();

        await client.PostFormAsync("/admin/api-keys",
            [.. CreateForm(), new("createdById", other.Id), new("CreatedById", other.Id), new("revokedAt", "2020-01-01"), new("_handler", "create-key")], "/admin/api-keys");

        var key = (await KeysAsync()).Should().ContainSingle().Subject;
        (key.CreatedById, key.RevokedAt).Should().Be((owner.Id, (DateTime?)null));
    }

    [Theory]
    [InlineData("", "Enter a name for the key.")]
    [InlineData("custom", "Enter the expiry date, or choose another option.")]
    public async Task Invalid_input_reopens_the_drawer_with_the_reason(string name, string reason)
    {
        var (client, _) = await factory.SignedInAsync();
        List<KeyValuePair<string, string>> form = name == "custom"
            ? [new("request_id", OneTimeForms.NewId()), new("name", "Has a name"), new("environment", "test"), new("expires_in", "custom"), new("expires_on", ""), new("scope", ScopeCatalog.ReadApiKeys)]
            : [new("request_id", OneTimeForms.NewId()), new("name", name), new("environment", "test"), new("expires_in", "never"), new("scope", ScopeCatalog.ReadApiKeys)];

        var response = await client.PostFormAsync("/admin/api-keys", [.. form, new("_handler", "create-key")], "/admin/api-keys");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Should().Contain(reason);
        (await KeysAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Read_only_admins_see_no_create_or_revoke_and_cannot_post_them()
    {
        var owner = await factory.StaffAsync();
        var key = await factory.KeyAsync(owner);
        var (client, _) = await factory.SignedInAsync(StaffRoleNames.ReadOnly);

        var page = await client.GetDocumentAsync("/admin/api-keys");
        page.KeyNames().Should().HaveCount(1);
        page.QuerySelector("[data-testid=open-create]").Should().BeNull();
        page.QuerySelector("[data-testid=revoke-key]").Should().BeNull();
        page.QuerySelector("[data-testid=revoke-all]").Should().BeNull();

        (await client.PostFormAsync("/admin/api-keys", [.. CreateForm(), new("_handler", "create-key")], "/admin/api-keys"))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostFormAsync($"/admin/api-keys/{key.Key.KeyId}/revoke", [], "/admin/api-keys"))
            .RedirectTarget().Should().StartWith("/access-denied");
        (await KeysAsync()).Should().ContainSingle(k => k.RevokedAt == null);
    }

    [Fact]
    public async Task Revoking_from_the_dialog_revokes_at_once_and_says_so_on_the_page_it_came_from()
    {
        var (client, owner) = await factory.SignedInAsync();
        var key = await factory.KeyAsync(owner, name: "Roster Sync API");
        var token = await factory.CreateClient().AccessTokenAsync(key.Plaintext);

        var response = await client.PostFormAsync($"/admin/api-keys/{key.Key.KeyId}/revoke",
            [new("reason", "leaked in a log"), new("returnUrl", "/admin/api-keys?status=active")], "/admin/api-keys");

        response.RedirectTarget().Should().Be("/admin/api-keys?status=active");
        var page = await client.GetDocumentAsync("/admin/api-keys?status=revoked");
        page.Text("[data-testid=status-message]").Should().Contain($"Revoked Roster Sync API ({key.Key.DisplayId})");
        page.KeyNames().Should().Equal("Roster Sync API");
        (await client.GetDocumentAsync("/admin/api-keys")).QuerySelector("[data-testid=status-message]").Should().BeNull("the message shows once");
        var stored = (await KeysAsync()).Single();
        (stored.RevokedBy, stored.RevocationReason).Should().Be((owner.DisplayName, "leaked in a log"));
        (await factory.CreateClient().GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P01_revoking_without_the_antiforgery_field_is_400_and_the_key_stays_active()
    {
        var (client, owner) = await factory.SignedInAsync();
        var key = await factory.KeyAsync(owner);

        var response = await client.PostFormAsync($"/admin/api-keys/{key.Key.KeyId}/revoke", [], formPage: null);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Html.Parse(await response.Content.ReadAsStringAsync()).Text("[data-testid=error-page]").Should().Contain("The form could not be accepted");
        (await KeysAsync()).Should().ContainSingle(k => k.RevokedAt == null);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task P02_revoke_is_post_only(string method)
    {
        var (client, owner) = await factory.SignedInAsync();
        var key = await factory.KeyAsync(owner);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/admin/api-keys/{key.Key.KeyId}/revoke"));

        response.StatusCode.Should().BeOneOf(HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotFound);
        (await KeysAsync()).Should().ContainSingle(k => k.RevokedAt == null);
    }

    [Fact]
    public async Task P05_revoking_an_unknown_key_is_404()
    {
        var (client, _) = await factory.SignedInAsync();

        var response = await client.PostFormAsync("/admin/api-keys/0123456789abcdef/revoke", [], "/admin/api-keys");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Revoke_all_is_for_owners_and_needs_the_typed_phrase()
    {
        var owner = await factory.StaffAsync();
        await factory.KeyAsync(owner);
        await factory.KeyAsync(owner);
        var (admin, _) = await factory.SignedInAsync(StaffRoleNames.Admin);
        var (client, _) = await factory.SignedInAsync();

        (await admin.PostFormAsync("/admin/api-keys/revoke-all", [new("confirm", "revoke all keys")], "/admin/api-keys"))
            .RedirectTarget().Should().StartWith("/access-denied");
        (await client.PostFormAsync("/admin/api-keys/revoke-all", [new("confirm", "yes")], "/admin/api-keys")).RedirectTarget().Should().Be("/admin/api-keys");
        (await client.GetDocumentAsync("/admin/api-keys")).Text("[data-testid=status-message]").Should().Contain("Nothing was revoked");
        (await KeysAsync()).Should().OnlyContain(k => k.RevokedAt == null);

        await client.PostFormAsync("/admin/api-keys/revoke-all", [new("confirm", "revoke all keys")], "/admin/api-keys");

        (await KeysAsync()).Should().HaveCount(2).And.OnlyContain(k => k.RevokedAt != null);
        (await client.GetDocumentAsync("/admin/api-keys")).Text("[data-testid=status-message]").Should().Contain("Revoked 2 keys");
        (await factory.AuditAsync("key.revoked_all")).Should().ContainSingle();
    }
}

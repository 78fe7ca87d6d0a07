using Microsoft.AspNetCore.Identity;

namespace DiversitySync.Portal.Tests.Staff;

/// <summary>The one-time setup link that creates the first Owner: no default credentials (P-08).</summary>
public class SetupPageTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private HttpClient client = null!;
    private string token = null!;

    public async Task InitializeAsync()
    {
        client = factory.CreatePortalClient();
        token = (await factory.WithScopeAsync(s =>
            s.GetRequiredService<StaffService>().CreateSetupTokenAsync(Actor.System)))!;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static Dictionary<string, string> Owner(string password = "Correct-Horse-9") => new()
    {
        ["Input.DisplayName"] = "Olive Owner",
        ["Input.Email"] = "olive@example.com",
        ["Input.Password"] = password,
        ["Input.ConfirmPassword"] = password,
    };

    private Task<int> StaffCountAsync() =>
        factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().Users.CountAsync());

    [Fact]
    public async Task The_link_shows_a_form_that_is_never_cached_or_leaked_in_a_referer()
    {
        var response = await client.GetAsync($"/setup?token={token}");

        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("Create Owner account").And.Contain("<meta name=\"referrer\" content=\"no-referrer\"");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    [Fact]
    public async Task Submitting_the_form_creates_the_owner_with_that_password_and_uses_up_the_link()
    {
        var (status, html) = await client.PostAsync($"/setup?token={token}", "setup", Owner());

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("Olive Owner").And.Contain("is now the Owner");
        await factory.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<StaffMember>>();
            var owner = await users.FindByEmailAsync("olive@example.com");
            (await users.IsInRoleAsync(owner!, "Owner")).Should().BeTrue();
            (await users.CheckPasswordAsync(owner!, "Correct-Horse-9")).Should().BeTrue();
        });
        (await client.GetStringAsync($"/setup?token={token}")).Should().Contain("This setup link is invalid");
        (await factory.AuditAsync("staff.created")).Should().ContainSingle(e => e.ActorName == "Setup link");
    }

    [Fact]
    public async Task P01_a_post_without_the_antiforgery_field_is_400_and_creates_nobody()
    {
        var (status, _) = await client.PostAsync($"/setup?token={token}", "setup", Owner(), withAntiforgery: false);

        status.Should().Be(HttpStatusCode.BadRequest);
        (await StaffCountAsync()).Should().Be(0);
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("")]
    public async Task A_wrong_token_shows_no_form_and_a_forged_post_creates_nobody(string wrong)
    {
        (await client.GetStringAsync($"/setup?token={wrong}")).Should().Contain("This setup link is " +
            "invalid").And.NotContain("Create Owner account");

        // A real form's antiforgery field, borrowed for the forged post.
        await client.PostFormAsync($"/setup?token={wrong}", [.. Owner(), new("_handler", "setup")],
            $"/setup?token={token}");

        (await StaffCountAsync()).Should().Be(0);
    }

    [Theory]
    [InlineData("short1A", "at least 12")]
    [InlineData("alllowercase-no-digits", "digit")]
    public async Task A_weak_password_is_explained_and_the_link_still_works(string password, string explanation)
    {
        var (_, html) = await client.PostAsync($"/setup?token={token}", "setup", Owner(password));

        html.Should().Contain(explanation);
        (await StaffCountAsync()).Should().Be(0);
        (await client.GetStringAsync($"/setup?token={token}")).Should().Contain("Create Owner account");
    }

    [Fact]
    public async Task An_expired_link_no_longer_works()
    {
        await factory.AdvanceAsync(StaffService.SetupLinkLifetime + TimeSpan.FromMinutes(1));

        (await client.GetStringAsync($"/setup?token={token}")).Should().Contain("This setup link is invalid");
    }
}

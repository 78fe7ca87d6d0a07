using Microsoft.AspNetCore.Identity;

namespace DiversitySync.Portal.Tests.Api;

/// <summary>
/// A key reaches no further through someone's account than its own scopes (P-06): the account actions compare
/// what the target holds against the key's scopes it may use now, never against its creator's permissions, and a key
/// never changes its own creator's account. A key limited to some staff fields is refused in words that name only
/// those fields (K-08).
/// </summary>
public class KeyReachTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    /// <summary>Each account action: its scope, its route and a body.</summary>
    public static TheoryData<string, string, string> Actions() => new()
    {
        { "write:user_passwords", "password-reset", "{}" },
        { "write:user_mfa", "mfa-reset", "{}" },
        { "write:user_blocks", "block", "{}" },
        { "write:user_archive", "archive", "{}" },
        { "write:roles", "roles", """{"roles":["ReadOnly"]}""" },
    };

    /// <summary>Everything an account action could change, as one comparable string.</summary>
    private Task<string> AccountsAsync(params string[] ids) => factory.WithScopeAsync(async s =>
    {
        var users = s.GetRequiredService<UserManager<StaffMember>>();
        var parts = new List<string>();
        foreach (var id in ids)
        {
            var member = (await users.FindByIdAsync(id))!;
            parts.Add($"{member.Status} {member.SecurityStamp} {member.PasswordHash} {member.TwoFactorEnabled} " +
                $"{string.Join(',', (await users.GetRolesAsync(member)).Order())}");
        }
        return string.Join('\n', parts);
    });

    private Task<HttpResponseMessage> ActAsync(string token, string staffId, string route, string body) =>
        route == "roles"
            ? client.SendJsonAsync(HttpMethod.Put, $"/v1/staff/{staffId}/roles", token, body)
            : client.PostJsonAsync($"/v1/staff/{staffId}/{route}", token, body);

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task P06_a_narrow_key_cannot_act_on_an_admin_or_on_its_creator_even_if_its_creator_could(string scope,
        string route, string body)
    {
        // Its creator (an Owner) may change an Admin's account; a key holding only read:users and the action's scope may not.
        var admin = await factory.StaffAsync(StaffRole.Owner);
        var otherAdmin = await factory.StaffAsync(StaffRole.Admin);
        var token = await client.AccessTokenAsync((await factory.KeyAsync(admin, $"read:users {scope}")).Plaintext);
        var before = await AccountsAsync(otherAdmin.Id, admin.Id);

        var onOther = await ActAsync(token, otherAdmin.Id, route, body);
        var onCreator = await ActAsync(token, admin.Id, route, body);

        onOther.StatusCode.Should().Be(HttpStatusCode.Forbidden, await onOther.Content.ReadAsStringAsync());
        (await onOther.Content.ReadAsStringAsync()).Should().Contain("this key does not hold");
        onCreator.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await onCreator.Content.ReadAsStringAsync()).Should().Contain("created it");
        (await AccountsAsync(otherAdmin.Id, admin.Id)).Should().Be(before, "nothing changed on either account");
    }

    [Fact]
    public async Task P06_the_same_key_may_reset_someone_who_holds_nothing_beyond_its_scopes()
    {
        await factory.RoleAsync("Directory reader", "read:users");
        var admin = await factory.StaffAsync(StaffRole.Admin);
        var reader = await factory.StaffAsync("Directory reader");
        var token = await client.AccessTokenAsync((await factory.KeyAsync(admin,
            "read:users write:user_passwords")).Plaintext);

        var response = await client.PostJsonAsync($"/v1/staff/{reader.Id}/password-reset", token, "{}");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task K08_refusals_name_only_the_staff_fields_a_limited_key_may_see()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner, "Olive Olsen");
        var admin = await factory.StaffAsync(StaffRole.Admin, "Rhea Rolle");
        var active = await factory.StaffAsync(StaffRole.ReadOnly, "Ada Abbot");
        await factory.RoleAsync("Role keeper", "write:roles");
        var keeper = await factory.StaffAsync("Role keeper", "Kim Keeper");
        var scopes = string.Join(' ', factory.AllScopes().Split(' ').Where(s => !StaffRole.OwnerOnly.Contains(s)));
        var limited = await factory.KeyAsync(admin, scopes,
            fields: new Dictionary<string, IReadOnlyList<string>> { ["staff"] = ["name", "email"] });
        var token = await client.AccessTokenAsync(limited.Plaintext);

        var onOwner = await client.PostJsonAsync($"/v1/staff/{owner.Id}/block", token, "{}");
        var onMorePermissions = await client.PostJsonAsync($"/v1/staff/{keeper.Id}/block", token, "{}");
        var unblockActive = await client.PostJsonAsync($"/v1/staff/{active.Id}/unblock", token, "{}");
        var archived = await client.PostJsonAsync($"/v1/staff/{active.Id}/archive", token, "{}");

        foreach (var refused in new[] { onOwner, onMorePermissions })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await refused.Content.ReadAsStringAsync()).Should().NotContainAny("Owner", "write:roles", "permissions");
        }
        unblockActive.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await unblockActive.Content.ReadAsStringAsync()).Should().Contain("Ada Abbot").And.NotContainAny("blocked",
            "active");
        archived.StatusCode.Should().Be(HttpStatusCode.OK, await archived.Content.ReadAsStringAsync());
        (await archived.JsonAsync()).GetProperty("revokedKeys").ValueKind.Should()
            .Be(System.Text.Json.JsonValueKind.Null, "active_keys is hidden");
    }
}

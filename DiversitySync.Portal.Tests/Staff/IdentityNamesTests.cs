namespace DiversitySync.Portal.Tests.Staff;

/// <summary>A role or a person's name cannot pass for another on the Users page or in the audit log.</summary>
public class IdentityNamesTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("Owner\u200b")] // zero-width space
    [InlineData("Own\u0435r")] // Cyrillic е
    [InlineData("Adm\u0131n")] // dotless ı
    [InlineData("Read\u00adOnly")] // soft hyphen
    [InlineData("Owner\u202e")] // right-to-left override
    public async Task A_role_name_that_looks_like_another_is_refused_and_nothing_is_saved(string lookalike)
    {
        var change = await factory.WithScopeAsync(s => s.GetRequiredService<StaffRoles>().SaveRoleAsync(lookalike, null,
            ["read:users"], Actor.Cli));

        change.Refusal!.Kind.Should().Be(RefusalKind.Invalid);
        var roles = (await factory.WithScopeAsync(s =>
            s.GetRequiredService<StaffQueries>().RolesAsync(Actor.Cli))).Value!;
        roles.Select(r => r.Name).Should().NotContain(lookalike);
    }

    [Fact]
    public async Task A_role_name_is_normalised_so_a_full_width_or_spaced_out_built_in_name_is_the_built_in_one()
    {
        var change = await factory.WithScopeAsync(s => s.GetRequiredService<StaffRoles>()
            .SaveRoleAsync("\uff2f\uff57\uff4e\uff45\uff52", null, ["read:users"], Actor.Cli));

        change.Refusal!.Message.Should().Contain("built-in role");
    }

    [Theory]
    [InlineData("Olive Owner", "Olive Owner")]
    [InlineData("  José   Núñez ", "José Núñez")]
    [InlineData("Işık Yılmaz", "Işık Yılmaz")]
    [InlineData("Дмитрий Иванов", "Дмитрий Иванов")]
    [InlineData("O'Brien-Smith", "O'Brien-Smith")]
    public void A_person_may_have_a_name_in_any_one_script(string typed, string stored) =>
        IdentityNames.Person(typed, 100).Name.Should().Be(stored);

    [Theory]
    [InlineData("Olive\u200bOwner")]
    [InlineData("Оlive Owner")] // Cyrillic О
    [InlineData("Olive\u202eOwner")]
    [InlineData("Olive <b>Owner</b>")]
    public void A_person_s_name_with_invisible_or_mixed_script_letters_is_refused(string typed) =>
        IdentityNames.Person(typed, 100).Problem.Should().NotBeNull();
}

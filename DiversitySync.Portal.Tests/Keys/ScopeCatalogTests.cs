using Microsoft.Extensions.Options;
using static DiversitySync.Portal.Core.ScopeOptions;

namespace DiversitySync.Portal.Tests.Keys;

/// <summary>
/// <c>Scopes:Custom</c>: resources declared once with verbs and fields, the one-scope form, and every kind of bad
/// entry.
/// </summary>
public class ScopeCatalogTests
{
    private static readonly CustomScope Employees = new()
    {
        Resource = "employees",
        Label = "Employees",
        Verbs = ["read", "create", "update", "delete", "download"],
        Fields = ["name", "start_date", "end_date", "salary"],
    };

    private static ScopeCatalog Catalog(params CustomScope[] custom) =>
        new(Options.Create(new ScopeOptions { Custom = [.. custom] }));

    private static IEnumerable<string> Problems(params CustomScope[] custom) =>
        ScopeCatalog.Validate(new ScopeOptions { Custom = [.. custom] }).Failures ?? [];

    [Fact]
    public void A_resource_entry_becomes_one_row_with_a_scope_per_verb_and_its_fields()
    {
        var catalog = Catalog(Employees);

        var row = catalog.Rows.Single(r => r.Name == "employees");
        row.Label.Should().Be("Employees");
        row.Scopes.Select(s => s.Name).Should().Equal("create:employees", "read:employees", "update:employees",
            "delete:employees", "download:employees");
        row.Scopes.Select(s => s.Description).Should().Contain(["Read employees", "Download employees as CSV"]);
        catalog.FieldsOf("employees")!.Fields.Should().Equal("name", "start_date", "end_date", "salary");
        catalog.FieldsOf("employees")!.ReadScope.Should().Be("read:employees");
        Problems(Employees).Should().BeEmpty();
    }

    [Fact]
    public void The_one_scope_form_still_loads_grouped_by_its_resource_or_group()
    {
        var catalog = Catalog(
            new() { Name = "read:participants", Description = "View participants" },
            new() { Name = "write:participants", Description = "Change participants" },
            new() { Name = "read:leave", Description = "Read leave", Group = "Time off" });

        catalog.Rows.Select(r => r.Label).Should().EndWith(["Participants", "Time off"]);
        catalog.Rows.Single(r => r.Label == "Participants").Scopes.Select(s => s.Name).Should()
            .Equal("read:participants", "write:participants");
        catalog.FieldsOf("participants").Should().BeNull("a scope on its own declares no fields");
    }

    [Fact]
    public void Built_in_scopes_are_unchanged_and_gain_the_two_downloads_webhooks_introspection_and_settings()
    {
        var names = Catalog().All.Select(s => s.Name).ToList();

        names.Should().BeEquivalentTo(["read:api_keys", "write:api_keys", "read:users", "write:invites", "write:roles",
            "write:user_archive",
            "write:user_blocks", "write:user_passwords", "write:user_mfa", "read:audit", "download:audit",
            "download:api_keys",
            "read:webhooks", "write:webhooks", "read:tokens", "read:settings", "write:settings"]);
    }

    public static TheoryData<CustomScope, string> BadEntries => new()
    {
        { new() { Resource = "employees", Verbs = ["read", "remove"] },
            "Scopes:Custom[0] (employees): unknown verb 'remove'" },
        { new() { Resource = "Employees!", Verbs = ["read"] },
            "Scopes:Custom[0] (Employees!): the resource must be lower-case" },
        { new() { Resource = "employees", Verbs = [] }, "Scopes:Custom[0] (employees): list its verbs" },
        { new() { Resource = "employees", Verbs = ["read", "read"] },
            "Scopes:Custom[0] (employees): the verb read is listed twice" },
        { new() { Resource = "employees", Verbs = ["read"], Fields = ["name", "name"] },
            "Scopes:Custom[0] (employees): the field name is listed twice" },
        { new() { Resource = "employees", Verbs = ["read"], Fields = ["Start Date"] },
            "Scopes:Custom[0] (employees): the field 'Start Date' must be" },
        { new() { Resource = "employees", Verbs = ["download"], Fields = ["name"] },
            "Scopes:Custom[0] (employees): a resource with fields needs the read verb" },
        { new() { Resource = "staff", Verbs = ["read"] },
            "Scopes:Custom[0] (staff): the resource staff is declared twice or is built in" },
        { new() { Resource = "employees", Verbs = ["read"], Name = "read:employees" },
            "Scopes:Custom[0] (employees): Name and Group belong to a single-scope entry" },
        { new() { Name = "read:Employees", Description = "x" },
            "Scopes:Custom[0] (read:Employees): the name must look like verb:resource" },
        { new() { Name = "remove:employees", Description = "x" },
            "Scopes:Custom[0] (remove:employees): the name must look like verb:resource" },
        { new() { Name = "read:audit", Description = "x" },
            "Scopes:Custom[0] (read:audit): read:audit is listed twice or is built in" },
        { new() { Name = "read:employees" }, "Scopes:Custom[0] (read:employees): it needs a description" },
        { new() { Name = "read:employees", Description = "x", Verbs = ["read"] },
            "Scopes:Custom[0] (read:employees): Verbs, Fields and Label belong to a resource entry" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void A_bad_entry_stops_the_start_with_a_message_naming_it(CustomScope entry, string message)
    {
        Problems(entry).Should().Contain(p => p.StartsWith(message));
    }

    [Fact]
    public void A_scope_declared_both_ways_is_a_duplicate()
    {
        Problems(new() { Name = "read:employees", Description = "Read employees" }, Employees)
            .Should().Contain("Scopes:Custom[1] (employees): read:employees is also listed on its own or is built in.");
    }

    [Fact]
    public async Task The_app_does_not_start_with_a_bad_catalog()
    {
        await using var factory = PortalFactory.Create(settings: new()
        {
            ["Scopes:Custom:0:Resource"] = "employees",
            ["Scopes:Custom:0:Verbs:0"] = "remove",
        });

        var start = () => factory.CreateClient();

        start.Should().Throw<OptionsValidationException>().WithMessage("*Scopes:Custom[0] (employees): unknown verb " +
            "'remove'*");
    }
}

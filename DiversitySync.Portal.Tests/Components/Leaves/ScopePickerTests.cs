using Bunit;
using DiversitySync.Portal.Components.ApiKeys;
using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Tests.Components.Leaves;

/// <summary>bUnit: the create drawer's scope list.</summary>
public class ScopePickerTests : BunitContext
{
    private static readonly Scope[] Scopes =
    [
        new("read:api_keys", "View organisation API keys", "API keys"),
        new("write:api_keys", "Create and revoke organisation API keys", "API keys"),
        new("write:roles", "Add or remove users from roles", "Users"),
        new("read:participants", "View participants", "Participants"),
    ];

    private IRenderedComponent<ScopePicker> RenderPicker(string[] held, string[]? selected = null) => Render<ScopePicker>(p => p
        .Add(c => c.Scopes, Scopes)
        .Add(c => c.Held, held.ToHashSet())
        .Add(c => c.Selected, (selected ?? []).ToHashSet()));

    [Fact]
    public void Scopes_are_grouped_by_resource_with_description_and_read_or_write_code()
    {
        var picker = RenderPicker(["read:api_keys", "write:api_keys", "write:roles", "read:participants"]);

        picker.FindAll(".scope-group-title").Select(t => t.TextContent).Should().Equal("API keys", "Users", "Participants");
        var row = picker.Find("[data-scope-row]");
        row.TextContent.Should().Contain("View organisation API keys").And.Contain("read:api_keys");
        row.QuerySelector(".badge")!.TextContent.Should().Be("read");
    }

    [Fact]
    public void Scopes_the_viewer_does_not_hold_are_disabled_with_the_reason()
    {
        var picker = RenderPicker(["read:api_keys", "write:api_keys"]);

        var roles = picker.Find("#scope-write-roles");
        roles.HasAttribute("disabled").Should().BeTrue();
        picker.Find($"#{roles.GetAttribute("aria-describedby")}").TextContent.Should().Contain("You do not hold this permission");
        picker.Find("#scope-read-api_keys").HasAttribute("disabled").Should().BeFalse();
    }

    [Fact]
    public void Chosen_scopes_stay_checked_but_never_one_the_viewer_lacks()
    {
        var picker = RenderPicker(["read:api_keys"], selected: ["read:api_keys", "write:roles"]);

        picker.FindAll("input:checked").Select(i => i.GetAttribute("value")).Should().Equal("read:api_keys");
    }

    [Fact]
    public void Each_checkbox_posts_as_scope_and_has_its_label_and_filter_text()
    {
        var picker = RenderPicker(["read:api_keys"]);

        foreach (var box in picker.FindAll("input[type=checkbox]"))
        {
            box.GetAttribute("name").Should().Be("scope");
            picker.FindAll($"label[for='{box.Id}']").Should().ContainSingle();
        }
        picker.Find("[data-scope-row]").GetAttribute("data-search").Should().Be("read:api_keys view organisation api keys api keys");
        picker.Find("label[for=scope-filter]").TextContent.Should().Be("Filter scopes");
    }
}

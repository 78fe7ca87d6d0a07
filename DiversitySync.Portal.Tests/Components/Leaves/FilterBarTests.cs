using Bunit;
using DiversitySync.Portal.Components.ApiKeys;
using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Tests.Components.Leaves;

/// <summary>bUnit: the search and filter bar, a GET form named like the query string.</summary>
public class FilterBarTests : BunitContext
{
    private static readonly CreatorCount[] Creators = [new("olive", "Olive Owner", 1203), new("rita", "Rita Reader", 1)];

    private IRenderedComponent<FilterBar> RenderBar(KeyListState state) =>
        Render<FilterBar>(p => p.Add(c => c.State, state).Add(c => c.Creators, Creators));

    [Fact]
    public void It_is_a_get_form_whose_fields_are_the_query_parameters_and_works_without_javascript()
    {
        var form = RenderBar(new KeyListState()).Find("form");

        form.GetAttribute("method").Should().Be("get");
        form.GetAttribute("action").Should().Be("/admin/api-keys");
        form.QuerySelectorAll("input[name], select[name]").Select(e => e.GetAttribute("name")).Should().Equal("q", "creator", "env", "status", "sort");
        form.QuerySelector("button[type=submit]").Should().NotBeNull();
        form.GetAttribute("hx-select").Should().Be("#key-results", "htmx replaces only the results, so the search box keeps focus and caret");
    }

    [Fact]
    public void Creators_are_listed_with_their_key_counts()
    {
        var options = RenderBar(new KeyListState()).FindAll("#key-creator option").Select(o => o.TextContent.Trim());

        options.Should().Equal("All creators (1,204)", "Olive Owner (1,203)", "Rita Reader (1)");
    }

    [Fact]
    public void The_current_state_is_selected()
    {
        var bar = RenderBar(new KeyListState(Q: "payroll", Creator: "rita", Env: "live", Status: "expiring_soon", Sort: "last_used"));

        bar.Find("#key-search").GetAttribute("value").Should().Be("payroll");
        bar.Find("#key-creator option[selected]").GetAttribute("value").Should().Be("rita");
        bar.Find("#key-env option[selected]").TextContent.Should().Be("Live");
        bar.Find("#key-status option[selected]").TextContent.Should().Be("Expiring soon");
        bar.Find("#key-sort option[selected]").GetAttribute("value").Should().Be("last_used");
    }

    [Fact]
    public void Every_control_has_a_label()
    {
        var bar = RenderBar(new KeyListState());

        foreach (var control in bar.FindAll("input:not([type=hidden]), select"))
        {
            bar.FindAll($"label[for='{control.Id}']").Should().ContainSingle($"#{control.Id} needs a label");
        }
    }
}

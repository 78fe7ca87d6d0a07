using Bunit;
using DiversitySync.Portal.Components.ApiKeys;
using DiversitySync.Portal.Components.Users;
using DiversitySync.Portal.Components.Webhooks;

namespace DiversitySync.Portal.Tests.Components;

/// <summary>
/// A page drawn for someone who has since lost their standing says why it shows nothing: the service's refusal,
/// never an empty list that reads as if there were nothing to show (P-04).
/// </summary>
public class RefusedListTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    public static TheoryData<string> Pages => ["api-keys", "users", "webhooks"];

    [Theory, MemberData(nameof(Pages))]
    public async Task P04_a_refused_list_shows_its_refusal_instead_of_an_empty_state(string page)
    {
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        var (ctx, viewer) = await PortalComponents.ContextAsync(factory, owner);
        await using var _ = ctx;
        // Blocked after the circuit began: the screen still offers the page, the services no longer serve it.
        await factory.ChangeStaffAsync(owner, StaffStatus.Blocked);

        var rendered = page switch
        {
            "api-keys" => ctx.RenderPage<ApiKeysPage>(viewer),
            "users" => ctx.RenderPage<UsersPage>(viewer),
            _ => ctx.RenderPage<WebhooksPage>(viewer),
        };

        rendered.WaitForElement("[data-testid=refusal]").TextContent.Should().Be(Refusal.NoStanding.Message);
        rendered.FindAll("[data-testid=empty-state], [data-testid=no-endpoints]").Should().BeEmpty();
    }
}

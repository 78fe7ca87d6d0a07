using Bunit;
using DiversitySync.Portal.Components.ApiKeys;
using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Tests.Components.Leaves;

/// <summary>bUnit: the show-once dialog.</summary>
public class SecretDialogTests : BunitContext
{
    private const string Secret = "ds_live_2f1ac3d0e5b7a9c1_0123456789abcdef0123456789abcdef0123456789abcdef";

    private IRenderedComponent<SecretDialog> RenderDialog() => Render<SecretDialog>(p => p
        .Add(c => c.Created, new NewApiKey(KeyRowTests.View(), Secret))
        .Add(c => c.TokenUrl, "https://portal.example/oauth/token")
        .Add(c => c.CloseUrl, "/admin/api-keys?q=pay"));

    [Fact]
    public void It_shows_the_key_read_only_with_a_copy_button_and_the_warning()
    {
        var dialog = RenderDialog();

        var field = dialog.Find("[data-testid=secret]");
        field.GetAttribute("value").Should().Be(Secret);
        field.HasAttribute("readonly").Should().BeTrue();
        dialog.Find("[data-testid=copy-secret]").GetAttribute("data-copy-target").Should().Be($"#{field.Id}");
        dialog.Find(".alert-warning").TextContent.Should().Contain("This key will not be shown again.");
    }

    [Fact]
    public void It_offers_a_ready_to_paste_curl_for_the_token_endpoint()
    {
        RenderDialog().Find("[data-testid=curl-example]").TextContent
            .Should().Be($"curl -X POST https://portal.example/oauth/token \\\n  -H \"Authorization: Bearer {Secret}\"");
    }

    [Fact]
    public void It_is_open_without_javascript_and_keeps_the_secret_out_of_htmx_history()
    {
        var dialog = RenderDialog();

        dialog.Find(".modal").ClassList.Should().Contain(["show", "d-block"]);
        dialog.Find(".modal").GetAttribute("data-bs-backdrop").Should().Be("static", "a stray click must not lose the secret");
        dialog.Find("[hx-history=false]").Should().NotBeNull();
        dialog.Find("[data-testid=secret-done]").GetAttribute("href").Should().Be("/admin/api-keys?q=pay");
    }
}

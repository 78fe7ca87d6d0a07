using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>
/// A key's environment or status badge: colour and words, never colour alone. Markup, not a component: the key list
/// draws two per row, and every component in a row is held per open page.
/// </summary>
public static class KeyBadge
{
    public static RenderFragment Of(ApiKeyEnvironment environment) => builder => Badge(builder,
        environment == ApiKeyEnvironment.Live ? "badge-live" : "badge-test", StatusLabels.Of(environment), "env-badge");

    public static RenderFragment Of(ApiKeyStatus status) => builder => Badge(builder, status switch
    {
        ApiKeyStatus.Active => "badge-active",
        ApiKeyStatus.ExpiringSoon => "badge-expiring",
        ApiKeyStatus.Expired => "badge-expired",
        ApiKeyStatus.Replaced => "badge-replaced",
        _ => "badge-revoked",
    }, StatusLabels.Of(status), "status-badge");

    private static void Badge(RenderTreeBuilder builder, string kind, string label, string testId)
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "badge " + kind);
        builder.AddAttribute(2, "data-testid", testId);
        builder.AddContent(3, label);
        builder.CloseElement();
    }
}

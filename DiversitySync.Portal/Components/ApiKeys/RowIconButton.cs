using Microsoft.AspNetCore.Components;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>
/// MudIconButton's small look as plain markup, for the key list's rows (the access tooltip's activator, which the
/// tooltip around it handles): without the two components (button and icon) a MudIconButton is, which every open page
/// would hold per row.
/// </summary>
public static class RowIconButton
{
    public static RenderFragment Of(string icon, string label, string? testId = null) => builder =>
    {
        builder.OpenElement(0, "button");
        builder.AddAttribute(1, "type", "button");
        builder.AddAttribute(2, "class", "mud-button-root mud-icon-button mud-ripple mud-ripple-icon " +
            "mud-icon-button-size-small");
        builder.AddAttribute(3, "aria-label", label);
        builder.AddAttribute(4, "data-testid", testId);
        builder.OpenElement(5, "svg");
        builder.AddAttribute(6, "class", "mud-icon-root mud-svg-icon mud-icon-size-small");
        builder.AddAttribute(7, "viewBox", "0 0 24 24");
        builder.AddAttribute(8, "aria-hidden", "true");
        builder.AddMarkupContent(9, icon);
        builder.CloseElement();
        builder.CloseElement();
    };
}

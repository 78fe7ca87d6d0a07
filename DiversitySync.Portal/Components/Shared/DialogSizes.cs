using MudBlazor;

namespace DiversitySync.Portal.Components.Shared;

/// <summary>
/// The portal's dialog shapes: a close button, Escape closes, a click beside it does not (a half-typed reason is not
/// lost).
/// </summary>
public static class DialogSizes
{
    public static readonly DialogOptions Small = new()
    {
        MaxWidth = MaxWidth.Small,
        FullWidth = true,
        CloseButton = true,
        CloseOnEscapeKey = true,
        BackdropClick = false
    };

    public static readonly DialogOptions Medium = Small with { MaxWidth = MaxWidth.Medium };
}

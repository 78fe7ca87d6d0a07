using MudBlazor;

namespace DiversitySync.Portal.Components.Layout;

/// <summary>
/// The portal's one Material theme. Colours chosen for at least 4.5:1 contrast on white (WCAG AA) wherever text sits on
/// them.
/// </summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1a56a8",
            // Color.Secondary on text means muted text here, as in the rest of the portal.
            Secondary = "#555f6b",
            Success = "#1b6e20",
            Error = "#b3261e",
            Warning = "#8a5300",
            Info = "#0b5f86",
            AppbarBackground = "#ffffff",
            AppbarText = "#1f2328",
            Background = "#f6f8fa",
            TextSecondary = "#555f6b",
            ActionDisabled = "#6b7280",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto",
                "Liberation Sans", "Arial", "sans-serif"]
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}

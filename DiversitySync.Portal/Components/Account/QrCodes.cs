using QRCoder;

namespace DiversitySync.Portal.Components.Account;

/// <summary>QR codes drawn on the server as SVG: no script, no image request, nothing the CSP has to allow.</summary>
public static class QrCodes
{
    public static string Svg(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true,
            sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        // An image with a name for screen readers.
        return svg.Replace("<svg ", "<svg role=\"img\" aria-label=\"QR code of the authenticator set-up link\" ",
            StringComparison.Ordinal);
    }
}

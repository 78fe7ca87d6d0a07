using System.Net;
using System.Net.Sockets;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// Where a webhook may be sent: an absolute https:// URL whose host resolves only to public addresses. Checked when
/// an endpoint is saved and again on every connection (<see cref="ConnectAsync"/>), so a name that later resolves to
/// 127.0.0.1 or the cloud metadata address (DNS rebinding) is refused at the socket.
/// </summary>
public static class WebhookUrls
{
    /// <summary>What is wrong with the URL as written, or null.</summary>
    public static string? Problem(string? url, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(url)) return "Enter the endpoint's URL.";
        if (url.Length > WebhookEndpoint.UrlMaxLength) return $"The URL can be at most {WebhookEndpoint.UrlMaxLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            return "The URL must be absolute, like https://example.com/webhooks.";
        }
        if (uri.UserInfo.Length > 0) return "The URL cannot carry a user name or password.";
        if (uri.Scheme == "http" && !allowPrivate) return "The URL must use https://.";
        return null;
    }

    /// <summary>Resolves the host: null when every address may be called, else why not.</summary>
    public static async Task<string?> ResolveProblemAsync(Uri uri, bool allowPrivate, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await AddressesAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host {uri.Host} cannot be resolved.";
        }
        if (addresses.Length == 0) return $"The host {uri.Host} cannot be resolved.";
        var isPublic = addresses.All(IsPublic);
        if (!isPublic && !allowPrivate) return $"The host {uri.Host} resolves to a loopback, private, link-local or multicast address.";
        if (uri.Scheme == "http" && isPublic) return "The URL must use https:// (http:// is allowed only to private addresses, with Webhooks:AllowPrivateNetworks).";
        return null;
    }

    /// <summary>SocketsHttpHandler.ConnectCallback: connects only to an address that passes the same rules, resolved now.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = (await AddressesAsync(endpoint.Host, cancellationToken)).Where(a => allowPrivate || IsPublic(a)).ToArray();
        if (addresses.Length == 0) throw new HttpRequestException($"{endpoint.Host} resolves to no address a webhook may be sent to.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> AddressesAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

    /// <summary>Not loopback, private (RFC 1918, ULA), shared (100.64/10), link-local (169.254/16 holds the metadata address), multicast or unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
        }
        var b = address.GetAddressBytes();
        return !(b[0] is 0 or 10 or 127 || b[0] >= 224
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127));
    }
}

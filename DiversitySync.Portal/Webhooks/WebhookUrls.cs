using System.Net;
using System.Net.Sockets;

namespace DiversitySync.Portal.Webhooks;

/// <summary>
/// Where a webhook may be sent: an absolute https:// URL whose host resolves only to globally reachable addresses.
/// Checked when
/// an endpoint is saved and again on every connection (<see cref="ConnectAsync"/>), so a name that later resolves to
/// 127.0.0.1 or the cloud metadata address (DNS rebinding) is refused at the socket.
/// </summary>
public static class WebhookUrls
{
    /// <summary>What is wrong with the URL as written, or null.</summary>
    public static string? Problem(string? url, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(url)) return "Enter the endpoint's URL.";
        if (url.Length > WebhookEndpoint.UrlMaxLength)
        {
            return $"The URL can be at most {WebhookEndpoint.UrlMaxLength} characters.";
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || uri.Host.Length == 0)
        {
            return "The URL must be absolute, like https://example.com/webhooks.";
        }
        if (HasHiddenCharacters(url)) return "The URL cannot contain control or bidirectional-text characters.";
        if (uri.UserInfo.Length > 0) return "The URL cannot carry a user name or password.";
        if (uri.Scheme == "http" && !allowPrivate) return "The URL must use https://.";
        return null;
    }

    /// <summary>Resolves the host: null when every address may be called, else why not.</summary>
    public static async Task<string?> ResolveProblemAsync(Uri uri, bool allowPrivate,
        CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await AddressesAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            addresses = [];
        }
        // One answer for a name that does not resolve and one that resolves privately: the form is no DNS oracle.
        var isPublic = addresses.Length > 0 && addresses.All(IsPublic);
        if (addresses.Length == 0 || (!isPublic && !allowPrivate)) return NotPublic;
        if (uri.Scheme == "http" && isPublic) return "The URL must use https:// (http:// is allowed only to private addresses, with Webhooks:AllowPrivateNetworks).";
        return null;
    }

    /// <summary>
    /// SocketsHttpHandler.ConnectCallback: connects only to an address that passes the same rules, resolved now.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate,
        CancellationToken cancellationToken)
    {
        var addresses = (await AddressesAsync(endpoint.Host, cancellationToken)).Where(a => allowPrivate
            || IsPublic(a)).ToArray();
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{endpoint.Host} resolves to no address a webhook may be sent to.");
        }
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
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host,
            cancellationToken);

    public const string NotPublic = "The URL is not allowed: its host is not a public address.";

    /// <summary>
    /// Control characters (CR, LF, ESC, NUL…) and the bidirectional-text controls that make text read other than it is.
    /// </summary>
    public static bool HasHiddenCharacters(string text) =>
        text.Any(c => char.IsControl(c)
            || c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'));

    /// <summary>
    /// Only globally reachable unicast addresses: IPv4 outside the IANA special-purpose registry's
    /// not-globally-reachable
    /// blocks, and IPv6 global unicast (2000::/3) outside its special-purpose blocks. IPv6 forms that carry an IPv4
    /// address (mapped, compatible, translated, NAT64, 6to4) are judged by that address; Teredo is refused.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return IsPublicV4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        var b = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6) return IsPublicV4(b.AsSpan(12));
        // 64:ff9b::/96, NAT64's well-known prefix: the embedded IPv4 address is where the packets go.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && !b.AsSpan(4, 8).ContainsAnyExcept((byte)0))
        {
            return IsPublicV4(b.AsSpan(12));
        }
        // 2002::/16, 6to4: bytes 2–5 are the IPv4 address of the relay's far end.
        if (b[0] == 0x20 && b[1] == 0x02) return IsPublicV4(b.AsSpan(2, 4));
        // outside 2000::/3: loopback, ::/96 and ::ffff:0:0:0/96 forms, ULA, link-local, multicast…
        if ((b[0] & 0xE0) != 0x20) return false;
        // 2001::/23: Teredo, benchmarking, ORCHID and other IETF assignments
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02) return false;
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false; // 2001:db8::/32, documentation
        if (b[0] == 0x3f && b[1] == 0xff && b[2] < 0x10) return false; // 3fff::/20, documentation
        return true;
    }

    /// <summary>
    /// The IANA IPv4 special-purpose blocks that are not globally reachable, with multicast and the reserved 240/4.
    /// </summary>
    private static bool IsPublicV4(ReadOnlySpan<byte> b) => !(
        b[0] is 0 or 10 or 127 || b[0] >= 224
        || (b[0] == 100 && (b[1] & 0xC0) == 64) // 100.64.0.0/10, shared address space
        || (b[0] == 169 && b[1] == 254) // link-local: the cloud metadata address
        || (b[0] == 172 && (b[1] & 0xF0) == 16)
        || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // 192.0.0.0/24 protocol assignments, 192.0.2.0/24 TEST-NET-1
        || (b[0] == 192 && b[1] == 88 && b[2] == 99) // 6to4 relay anycast
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 198 && (b[1] & 0xFE) == 18) // 198.18.0.0/15, benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100) // TEST-NET-2
        || (b[0] == 203 && b[1] == 0 && b[2] == 113)); // TEST-NET-3
}

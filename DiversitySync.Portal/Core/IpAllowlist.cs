using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DiversitySync.Portal.Core;

/// <summary>
/// The addresses a key may be used from: up to <see cref="MaxEntries"/> IPv4 or IPv6 addresses and CIDR ranges, none
/// inside another. An IPv4 address written as IPv4-mapped IPv6 (<c>::ffff:192.0.2.1</c>) is that IPv4 address, both
/// in the list and in a request, so one rule covers a dual-stack listener.
/// </summary>
public sealed class IpAllowlist
{
    public const int MaxEntries = 50;
    private const int EntryMaxLength = 64;
    /// <summary>50 of the longest IPv6 ranges, space-separated.</summary>
    public const int StoredMaxLength = MaxEntries * 44;

    private readonly IPNetwork[] ranges;

    private IpAllowlist(IPNetwork[] ranges) => this.ranges = ranges;

    /// <summary>The entries as people read them: a single address without its /32 or /128.</summary>
    public IReadOnlyList<string> Entries => [.. ranges.Select(Describe)];

    /// <summary><c>0.0.0.0/0</c> or <c>::/0</c>: allowed, but worth saying so.</summary>
    public bool IncludesAnywhere => ranges.Any(r => r.PrefixLength == 0);

    public bool Allows(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var range in ranges)
        {
            if (range.Contains(address)) return true;
        }
        return false;
    }

    public string ToStored() => string.Join(' ', Entries);

    /// <summary>A stored list (written by <see cref="Parse"/>); null or empty: the key may be used from anywhere.</summary>
    public static IpAllowlist? FromStored(string? stored) =>
        string.IsNullOrWhiteSpace(stored) ? null : Parse(stored.Split(' ')).List;

    /// <summary>
    /// Checks a list as a person typed it. Blank entries are ignored; an empty list means anywhere (null list). Each
    /// problem names the entry, so the form can say which.
    /// </summary>
    public static (IpAllowlist? List, IReadOnlyList<string> Errors) Parse(IEnumerable<string?>? entries)
    {
        var given = (entries ?? []).Select(e => e?.Trim() ?? "").Where(e => e.Length > 0).ToList();
        if (given.Count > MaxEntries)
        {
            return (null, [$"At most {MaxEntries} addresses or ranges; {given.Count} were given."]);
        }
        var errors = new List<string>();
        var parsed = new List<IPNetwork>();
        foreach (var entry in given)
        {
            if (ParseEntry(entry, out var range) is { } problem) errors.Add(problem);
            else parsed.Add(range);
        }
        for (var i = 0; i < parsed.Count; i++)
        {
            for (var j = i + 1; j < parsed.Count; j++)
            {
                var (wider, narrower) = parsed[i].PrefixLength <= parsed[j].PrefixLength
                    ? (parsed[i], parsed[j])
                    : (parsed[j], parsed[i]);
                if (wider.Contains(narrower.BaseAddress))
                {
                    errors.Add(wider.PrefixLength == narrower.PrefixLength
                        ? $"{Describe(wider)} is listed twice."
                        : $"{Describe(narrower)} is inside {Describe(wider)}: list only one of them.");
                }
            }
        }
        return errors.Count > 0 || parsed.Count == 0 ? (null, errors) : (new IpAllowlist([.. parsed]), errors);
    }

    private static string? ParseEntry(string entry, out IPNetwork range)
    {
        range = default;
        var shown = EchoedInput.Clean(entry, EntryMaxLength);
        if (entry.Length > EntryMaxLength) return $"{shown}… is not an IP address or CIDR range.";
        var slash = entry.IndexOf('/');
        var addressPart = slash < 0 ? entry : entry[..slash];
        if (!IPAddress.TryParse(addressPart, out var address) || addressPart.Contains('%')
            || (address.AddressFamily == AddressFamily.InterNetwork && addressPart.Count(c => c == '.') != 3))
        {
            return $"{shown} is not an IP address or CIDR range (such as 203.0.113.7, 203.0.113.0/24 or " +
                "2001:db8::/32).";
        }
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(entry[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture,
                out prefix) || prefix > bits))
        {
            return $"{shown}: the prefix after / must be a number from 0 to {bits}.";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            if (prefix < 96) return $"{shown}: write IPv4 ranges in IPv4 notation.";
            (address, prefix) = (address.MapToIPv4(), prefix - 96);
        }
        var network = Masked(address, prefix);
        if (!network.Equals(address))
        {
            return $"{shown} has bits set after the /{prefix} prefix: did you mean {network}/{prefix}?";
        }
        range = new IPNetwork(network, prefix);
        return null;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }

    private static string Describe(IPNetwork range) =>
        range.PrefixLength == (range.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            ? range.BaseAddress.ToString()
            : range.ToString();
}

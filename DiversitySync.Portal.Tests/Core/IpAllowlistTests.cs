namespace DiversitySync.Portal.Tests.Core;

/// <summary>What an IP allowlist accepts, refuses and matches (K-11).</summary>
public class IpAllowlistTests
{
    private static IpAllowlist List(params string[] entries) =>
        IpAllowlist.Parse(entries).List ?? throw new InvalidOperationException(
            string.Join("; ", IpAllowlist.Parse(entries).Errors));

    private static IReadOnlyList<string> Errors(params string[] entries) => IpAllowlist.Parse(entries).Errors;

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.200", true)]
    [InlineData("203.0.113.0/24", "203.0.114.1", false)]
    [InlineData("198.51.100.7", "198.51.100.7", true)]
    [InlineData("198.51.100.7", "198.51.100.8", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("203.0.113.0/24", "::ffff:203.0.113.9", true)]
    [InlineData("::ffff:203.0.113.0/120", "203.0.113.9", true)]
    [InlineData("0.0.0.0/0", "192.0.2.1", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    public void K11_an_address_is_allowed_exactly_when_a_listed_range_holds_it(string entry, string address,
        bool allowed) =>
        List(entry).Allows(IPAddress.Parse(address)).Should().Be(allowed);

    [Fact]
    public void K11_an_unknown_address_is_never_allowed() => List("0.0.0.0/0").Allows(null).Should().BeFalse();

    [Fact]
    public void K11_entries_are_kept_in_a_normal_form() =>
        List(" 198.51.100.7 ", "::ffff:192.0.2.1", "2001:DB8:0:0::/48", "192.0.2.128/25").Entries.Should()
            .Equal("198.51.100.7", "192.0.2.1", "2001:db8::/48", "192.0.2.128/25");

    [Theory]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("::/0", true)]
    [InlineData("0.0.0.0/1", false)]
    public void K11_a_list_that_allows_anywhere_says_so(string entry, bool anywhere) =>
        List(entry).IncludesAnywhere.Should().Be(anywhere);

    [Theory]
    [InlineData("203.0.113", "is not an IP address")]
    [InlineData("203.0.113.0/33", "from 0 to 32")]
    [InlineData("2001:db8::/129", "from 0 to 128")]
    [InlineData("203.0.113.0/-1", "from 0 to 32")]
    [InlineData("10.0.0.1/8", "did you mean 10.0.0.0/8")]
    [InlineData("fe80::1%eth0", "is not an IP address")]
    [InlineData("example.com", "is not an IP address")]
    [InlineData("::ffff:0:0/64", "IPv4 notation")]
    public void K11_a_malformed_entry_is_refused_naming_it(string entry, string message) =>
        Errors(entry).Should().ContainSingle().Which.Should().Contain(message);

    [Fact]
    public void K11_overlapping_and_repeated_entries_are_refused()
    {
        Errors("203.0.113.0/24", "203.0.113.7", "198.51.100.1", "198.51.100.1").Should().BeEquivalentTo(
            "203.0.113.7 is inside 203.0.113.0/24: list only one of them.", "198.51.100.1 is listed twice.");
    }

    [Fact]
    public void K11_at_most_fifty_entries()
    {
        var fifty = Enumerable.Range(1, 50).Select(i => $"192.0.2.{i}").ToArray();

        (IpAllowlist.Parse(fifty).List is not null, Errors([.. fifty, "198.51.100.1"]).Single()).Should()
            .Be((true, "At most 50 addresses or ranges; 51 were given."));
    }

    [Fact]
    public void K11_no_entries_means_anywhere()
    {
        var (list, errors) = IpAllowlist.Parse(["", "  "]);

        (list, errors.Count).Should().Be((null, 0));
    }

    [Fact]
    public void K11_a_stored_list_reads_back_the_same()
    {
        var list = List("203.0.113.0/24", "2001:db8::1");

        IpAllowlist.FromStored(list.ToStored())!.Entries.Should().Equal(list.Entries);
    }
}

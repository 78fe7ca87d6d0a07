using System.Text.RegularExpressions;

namespace DiversitySync.Portal.Tests.Keys;

public class ApiKeyFormatTests
{
    // The regex documented in the README, written out here rather than read from the code under test.
    private static readonly Regex Documented = new("^ds_(live|test)_[0-9a-f]{16}_[0-9a-f]{48}$");

    [Fact]
    public void K01_generated_keys_match_the_documented_format_and_are_unique()
    {
        var keys = Enumerable.Range(0, 20_000)
            .Select(i => ApiKeyFormat.Create(i % 2 == 0 ? ApiKeyEnvironment.Live : ApiKeyEnvironment.Test,
                ApiKeyFormat.NewKeyId()))
            .ToList();

        keys.Should().OnlyContain(k => Documented.IsMatch(k));
        keys.Should().OnlyHaveUniqueItems();
        keys.Select(k => k[25..65]).Should().OnlyHaveUniqueItems("the 160-bit secrets are drawn from a CSPRNG");
    }

    [Fact]
    public void A_generated_key_parses_back_to_its_environment_and_key_id()
    {
        var key = ApiKeyFormat.Create(ApiKeyEnvironment.Test, "0123456789abcdef");

        ApiKeyFormat.Parse(key).Should().Be(new ParsedApiKey(ApiKeyEnvironment.Test, "0123456789abcdef", key));
    }

    [Fact]
    public void The_checksum_is_the_standard_crc32_a_scanner_computes()
    {
        // Checksum computed outside .NET, with Python's zlib.crc32 (IEEE 802.3), as a secret scanner would.
        const string key = "ds_live_2f1ac3d0b1e4a5f6_9c4e7a0b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6ff55dd960";

        ApiKeyFormat.Parse(key).Should().NotBeNull();
        ApiKeyFormat.Parse(key[..^8] + "f55dd961").Should().BeNull();
    }

    public static TheoryData<string> LookAlikes()
    {
        var valid = ApiKeyFormat.Create(ApiKeyEnvironment.Live, "2f1ac3d0b1e4a5f6");
        var lastChar = valid[^1] == '0' ? '1' : '0';
        return new TheoryData<string>
        {
            valid[..^1] + lastChar,                         // checksum off by one character
            valid[..30] + (valid[30] == 'a' ? 'b' : 'a') + valid[31..], // secret changed, checksum kept
            valid.Replace("ds_live_", "ds_prod_"),
            valid.Replace("ds_live_", "sk_live_"),
            valid.ToUpperInvariant(),
            " " + valid,
            valid + " ",
            valid + "0",
            valid[..^1],
            valid.Replace("_2f1a", "-2f1a"),
            valid.Replace("_2f1a", "_2f1a_"),
            valid[..20] + "\0" + valid[21..],
            valid[..20] + "а" + valid[21..],                 // Cyrillic а, a homoglyph of a
            "",
        };
    }

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public void Look_alikes_are_rejected_without_a_lookup(string candidate)
    {
        ApiKeyFormat.Parse(candidate).Should().BeNull();
    }

    [Fact]
    public void Objects_holding_a_key_never_print_it()
    {
        var key = ApiKeyFormat.Create(ApiKeyEnvironment.Live, ApiKeyFormat.NewKeyId());
        var parsed = ApiKeyFormat.Parse(key)!.Value;

        parsed.ToString().Should().NotContain(key[25..]);
        $"{parsed}".Should().StartWith("ds_live_");
    }
}

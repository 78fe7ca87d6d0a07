using System.Text.RegularExpressions;

namespace DiversitySync.Portal.Tests;

/// <summary>
/// SECURITY.md's P0 rows must hold before a feature is done: each is cited by at least one test, as <c>K-01</c> in a
/// comment or <c>K01_</c> in a test name (<c>J04_J05_…</c> cites both). A row marked n/a (it applies to something not
/// built yet) is
/// exempt until it is not.
/// </summary>
public partial class SecurityCitationTests
{
    [Fact]
    public void Every_P0_guarantee_in_SECURITY_md_is_cited_by_a_test()
    {
        var root = RepositoryRoot();
        var p0 = P0Row().Matches(File.ReadAllText(Path.Combine(root, "SECURITY.md")))
            .Where(m => !m.Groups["guarantee"].Value.StartsWith("n/a", StringComparison.Ordinal))
            .Select(m => m.Groups["id"].Value).ToList();
        var tests = string.Join('\n',
            Directory.EnumerateFiles(Path.Combine(root, "DiversitySync.Portal.Tests"), "*.cs",
            SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !f.EndsWith(nameof(SecurityCitationTests) + ".cs"))
            .Select(File.ReadAllText));

        p0.Should().HaveCountGreaterThan(30, "SECURITY.md lists the P0 rows");
        p0.Where(id => !tests.Contains(id) && !Regex.IsMatch(tests, $@"(?<![A-Za-z0-9]){id.Replace("-", "")}_"))
            .Should().BeEmpty("each P0 guarantee needs a test that proves it");
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DiversitySync.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("The tests run outside the repository.");
    }

    [GeneratedRegex(@"^\| (?<id>[KTJPLRWS]-\d\d) \| P0 \| (?<guarantee>[^|]+)\|", RegexOptions.Multiline)]
    private static partial Regex P0Row();
}

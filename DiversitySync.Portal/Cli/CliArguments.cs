namespace DiversitySync.Portal.Cli;

/// <summary>Positional words and --name value options of one admin command.</summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string> options = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Words { get; }

    public CliArguments(IEnumerable<string> args)
    {
        var words = new List<string>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            if (e.Current.StartsWith("--", StringComparison.Ordinal))
            {
                var name = e.Current[2..];
                if (!e.MoveNext() || e.Current.StartsWith("--", StringComparison.Ordinal)) throw new CliUsageException($"--{name} needs a value.");
                if (!options.TryAdd(name, e.Current)) throw new CliUsageException($"--{name} is given twice.");
            }
            else
            {
                words.Add(e.Current);
            }
        }
        Words = words;
    }

    public string Required(string name) => Optional(name) ?? throw new CliUsageException($"--{name} is required.");

    public string? Optional(string name) => options.GetValueOrDefault(name);

    /// <summary>An option the command does not take is a typo: refuse before doing anything.</summary>
    public void Allow(params string[] names)
    {
        var unknown = options.Keys.FirstOrDefault(name => !names.Contains(name));
        if (unknown is not null) throw new CliUsageException($"Unknown option: --{unknown}.");
    }
}

public sealed class CliUsageException(string message) : Exception(message);

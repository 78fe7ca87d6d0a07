using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace DiversitySync.Portal.Components.Shared;

/// <summary>
/// Ids that make a form's POST happen once: a reload of the create response, or a double click, would otherwise
/// create a second key (and show a second secret). Kept in memory for a day, per instance: good enough for the
/// browser that sent the form, which keeps talking to the same portal.
/// </summary>
public sealed class OneTimeForms(TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromDays(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> used = new(StringComparer.Ordinal);

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsWellFormed(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>True the first time an id is used; false for a repeat.</summary>
    public bool TryUse(string id)
    {
        var now = time.GetUtcNow();
        if (used.Count > 100_000)
        {
            foreach (var (old, at) in used) if (now - at > Keep) used.TryRemove(old, out _);
        }
        return used.TryAdd(id, now);
    }
}

using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>What the create drawer opens with, instead of an empty form.</summary>
public sealed record KeyDraft(string Name, string? Description, string Environment, IReadOnlySet<string> Scopes,
    IReadOnlyDictionary<string, IReadOnlySet<string>> Fields, DateTime? ExpiresAt, IReadOnlyList<string> AllowedIps)
{
    /// <summary>
    /// A replacement for <paramref name="key"/> holding only the scopes it used in the review window, with its name,
    /// description, environment, field limits and expiry. The person creating it still needs each scope.
    /// </summary>
    public static KeyDraft Narrower(ApiKeyView key, KeyUsageReport usage) => new(
        key.Name.Length + " (narrower)".Length <= ApiKey.NameMaxLength ? key.Name + " (narrower)" : key.Name,
        key.Description, key.Environment.ToCode(),
        usage.Scopes.Where(s => !s.Unused).Select(s => s.Scope).ToHashSet(StringComparer.Ordinal),
        key.Fields.ToDictionary(f => f.Key, f => (IReadOnlySet<string>)f.Value.ToHashSet(StringComparer.Ordinal)),
        key.ExpiresAt, key.AllowedIps);
}

/// <summary>An IP allowlist as typed in a text box: one entry a line (commas and spaces separate too).</summary>
public static class AllowedIpLines
{
    public static IReadOnlyList<string> Of(string? text) =>
        (text ?? "").Split(['\n', '\r', ',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>An entry as the portal shows it: the ranges that allow every address say so.</summary>
    public static string Describe(string entry) =>
        entry is "0.0.0.0/0" ? "anywhere (IPv4)" : entry is "::/0" ? "anywhere (IPv6)" : entry;
}

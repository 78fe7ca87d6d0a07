using System.Text.Json;

namespace DiversitySync.Portal.Core;

/// <summary>
/// The fields a key is limited to, by resource (<c>{"staff": ["name", "email"]}</c>). A resource not named is not
/// limited: the key sees all its fields. Stored with the key as this JSON, carried in its tokens as the
/// <c>fields</c> claim, and enforced by /v1 on what it serves. Never changes after the key is created.
/// </summary>
public sealed class KeyFields
{
    public static readonly KeyFields Unrestricted = new(new Dictionary<string, IReadOnlyList<string>>());

    private KeyFields(Dictionary<string, IReadOnlyList<string>> byResource) => ByResource = byResource.AsReadOnly();

    /// <summary>Field names per limited resource, in the catalog's order (as they were given).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ByResource { get; }

    public bool IsRestricted => ByResource.Count > 0;

    /// <summary>The fields of <paramref name="resource"/> the key may see, or null when it sees them all.</summary>
    public IReadOnlyList<string>? For(string resource) => ByResource.GetValueOrDefault(resource);

    public bool Allows(string resource, string field) => For(resource) is not { } fields || fields.Contains(field);

    public static KeyFields Of(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> byResource)
    {
        var limited = byResource.ToDictionary(StringComparer.Ordinal);
        return limited.Count == 0 ? Unrestricted : new KeyFields(limited);
    }

    /// <summary>The stored form: null when unrestricted.</summary>
    public string? ToJson() => IsRestricted ? JsonSerializer.Serialize(ByResource) : null;

    public static KeyFields FromJson(string? json) => string.IsNullOrEmpty(json)
        ? Unrestricted
        : Of(JsonSerializer.Deserialize<Dictionary<string, string[]>>(json)!.Select(p => KeyValuePair.Create(p.Key,
            (IReadOnlyList<string>)p.Value)));

    /// <summary>
    /// As people read it: "Users: name, email" per limited resource (in the order they were stored: the catalog's).
    /// </summary>
    public string Describe(ScopeCatalog catalog) => IsRestricted
        ? string.Join("; ", ByResource.Select(p => $"{catalog.FieldsOf(p.Key)?.Label ?? p.Key}: " +
            $"{string.Join(", ", p.Value)}"))
        : "All fields";
}

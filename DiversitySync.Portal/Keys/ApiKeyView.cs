namespace DiversitySync.Portal.Keys;

public sealed record StaffRef(string Id, string DisplayName);

/// <summary>A key as lists, details and /v1 show it. Carries no hash and no secret.</summary>
/// <param name="Fields">The fields the key is limited to, by resource; empty when it sees all fields.</param>
/// <param name="ReplacedByKeyId">The key that replaced this one when it was rolled.</param>
/// <param name="ReplacesKeyId">The key this one replaced, when it was made by rolling it.</param>
/// <param name="AllowedIps">The addresses and ranges it may be used from; empty: anywhere.</param>
public sealed record ApiKeyView(
    string KeyId,
    string Name,
    string? Description,
    ApiKeyEnvironment Environment,
    ApiKeyStatus Status,
    IReadOnlyList<string> Scopes,
    KeyAccess Access,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Fields,
    DateTime CreatedAt,
    StaffRef CreatedBy,
    DateTime? ExpiresAt,
    DateTime? RevokedAt,
    string? RevokedBy,
    string? RevocationReason,
    DateTime? LastUsedAt,
    string? LastUsedIp,
    string? LastUsedUserAgent,
    string? LastUsedFor,
    string? ReplacedByKeyId,
    string? ReplacesKeyId,
    IReadOnlyList<string> AllowedIps)
{
    /// <summary>The key id as people recognise it: <c>ds_live_2f1ac3d0…</c>, which is not a secret.</summary>
    public string DisplayId => $"ds_{Environment.ToCode()}_{KeyId}";

    /// <summary>"Read-only", "Admin" or "Custom (n scopes)", as the key list shows it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string AccessLabel => Access.Label(Scopes.Count);
}

/// <summary>The result of creating a key: the only object that ever holds the plaintext.</summary>
public sealed class NewApiKey(ApiKeyView key, string plaintext)
{
    public ApiKeyView Key { get; } = key;

    /// <summary>Show it once, in the create response; never log, store, redirect or put it in a URL.</summary>
    public string Plaintext { get; } = plaintext;

    public override string ToString() => $"NewApiKey {{ KeyId = {Key.KeyId} }}";
}

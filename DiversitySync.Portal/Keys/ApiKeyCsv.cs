namespace DiversitySync.Portal.Keys;

/// <summary>
/// The key list's CSV columns: the identifiers, then one per field of the api_keys resource, named as the field.
/// </summary>
public static class ApiKeyCsv
{
    /// <param name="creatorNames">False for a caller that may not see staff names: created_by then holds the creator's
    /// id.</param>
    public static IReadOnlyList<CsvColumn<ApiKeyView>> Columns(bool creatorNames = true) =>
    [
        new("key_id", k => k.KeyId),
        new("display_id", k => k.DisplayId),
        new("name", k => k.Name),
        new("description", k => k.Description),
        new("environment", k => k.Environment.ToCode()),
        new("status", k => k.Status.ToCode()),
        new("access", k => k.Access.ToCode()),
        new("scopes", k => string.Join(' ', k.Scopes)),
        new("fields", k => k.Fields.Count == 0 ? "" : string.Join("; ",
            k.Fields.Select(f => $"{f.Key}: {string.Join(' ', f.Value)}"))),
        new("created_at", k => Dates.Instant(k.CreatedAt)),
        new("created_by", k => creatorNames ? k.CreatedBy.DisplayName : k.CreatedBy.Id),
        new("expires_at", k => k.ExpiresAt is { } at ? Dates.Instant(at) : null),
        new("revoked_at", k => k.RevokedAt is { } at ? Dates.Instant(at) : null),
        new("revoked_by", k => k.RevokedBy),
        new("revocation_reason", k => k.RevocationReason),
        new("last_used_at", k => k.LastUsedAt is { } at ? Dates.Instant(at) : null),
        new("last_used_ip", k => k.LastUsedIp),
        new("last_used_user_agent", k => k.LastUsedUserAgent),
        new("last_used_for", k => k.LastUsedFor),
    ];
}

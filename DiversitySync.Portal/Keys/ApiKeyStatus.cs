namespace DiversitySync.Portal.Keys;

/// <summary>
/// Derived, never stored: revoked wins over replaced, replaced over expired. A replaced key works until its grace
/// ends (its expiry), then no more.
/// </summary>
public enum ApiKeyStatus
{
    Active,
    ExpiringSoon,
    Expired,
    Revoked,
    Replaced,
}

public static class ApiKeyStatuses
{
    public static readonly TimeSpan ExpiringSoonWindow = TimeSpan.FromDays(7);

    public static ApiKeyStatus Of(DateTime? revokedAt, DateTime? expiresAt, string? replacedBy, DateTime now) =>
        revokedAt is not null ? ApiKeyStatus.Revoked
        : replacedBy is not null ? ApiKeyStatus.Replaced
        : expiresAt <= now ? ApiKeyStatus.Expired
        : expiresAt <= now + ExpiringSoonWindow ? ApiKeyStatus.ExpiringSoon
        : ApiKeyStatus.Active;

    public static string ToCode(this ApiKeyStatus status) => status switch
    {
        ApiKeyStatus.Active => "active",
        ApiKeyStatus.ExpiringSoon => "expiring_soon",
        ApiKeyStatus.Expired => "expired",
        ApiKeyStatus.Replaced => "replaced",
        _ => "revoked",
    };

    public static bool TryParse(string? code, out ApiKeyStatus status) => EnumCodes.TryParse(code, ToCode, out status);
}


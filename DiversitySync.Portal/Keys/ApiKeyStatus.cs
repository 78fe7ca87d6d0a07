namespace DiversitySync.Portal.Keys;

/// <summary>Derived, never stored: revoked wins over expired.</summary>
public enum ApiKeyStatus
{
    Active,
    ExpiringSoon,
    Expired,
    Revoked,
}

public static class ApiKeyStatuses
{
    public static readonly TimeSpan ExpiringSoonWindow = TimeSpan.FromDays(7);

    public static ApiKeyStatus Of(DateTime? revokedAt, DateTime? expiresAt, DateTime now) =>
        revokedAt is not null ? ApiKeyStatus.Revoked
        : expiresAt <= now ? ApiKeyStatus.Expired
        : expiresAt <= now + ExpiringSoonWindow ? ApiKeyStatus.ExpiringSoon
        : ApiKeyStatus.Active;

    public static string ToCode(this ApiKeyStatus status) => status switch
    {
        ApiKeyStatus.Active => "active",
        ApiKeyStatus.ExpiringSoon => "expiring_soon",
        ApiKeyStatus.Expired => "expired",
        _ => "revoked",
    };

    public static bool TryParse(string? code, out ApiKeyStatus status) => EnumCodes.TryParse(code, ToCode, out status);
}


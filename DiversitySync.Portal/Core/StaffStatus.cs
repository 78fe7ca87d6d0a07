namespace DiversitySync.Portal.Core;

/// <summary>Where a staff member stands: only an active one may sign in, and only an active one's keys work.</summary>
public enum StaffStatus
{
    Active,
    Invited,
    Blocked,
    Archived,
}

/// <summary>The lowercase codes of staff statuses, as /v1 and the Users page's address use them.</summary>
public static class StaffStatuses
{
    public static string ToCode(this StaffStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParse(string? code, out StaffStatus status) => EnumCodes.TryParse(code?.ToLowerInvariant(),
        ToCode, out status);
}

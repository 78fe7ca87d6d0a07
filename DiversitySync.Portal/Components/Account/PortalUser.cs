using System.Collections.Frozen;
using System.Security.Claims;

namespace DiversitySync.Portal.Components.Account;

/// <summary>
/// The signed-in staff member as the portal sees them on this request. Built from the database on every request
/// (see <see cref="StaffSessions"/>), so a role change or a block applies at once, not at the next sign-in.
/// </summary>
public sealed record PortalUser(string Id, string DisplayName, string Email, FrozenSet<string> Permissions,
    bool IsOwner)
{
    public const string PermissionClaim = "ds:permission";
    public const string SecurityStampClaim = "AspNet.Identity.SecurityStamp";

    public string Initials => StaffMember.InitialsOf(DisplayName);

    public bool Can(string permission) => Permissions.Contains(permission);

    public static PortalUser? From(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id) return null;
        return new PortalUser(
            id,
            principal.FindFirstValue(ClaimTypes.Name) ?? "",
            principal.FindFirstValue(ClaimTypes.Email) ?? "",
            principal.FindAll(PermissionClaim).Select(c => c.Value).ToFrozenSet(StringComparer.Ordinal),
            principal.IsInRole(StaffRole.Owner));
    }

    public ClaimsPrincipal ToPrincipal(string securityStamp, string authenticationType)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, Id),
            new(ClaimTypes.Name, DisplayName),
            new(ClaimTypes.Email, Email),
            new(SecurityStampClaim, securityStamp),
            .. Permissions.Select(p => new Claim(PermissionClaim, p)),
        ];
        if (IsOwner) claims.Add(new Claim(ClaimTypes.Role, StaffRole.Owner));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }
}

/// <summary>
/// Portal authorization policies, one per catalog permission: <c>[Authorize(Policy = StaffPolicies.ReadApiKeys)]</c>.
/// </summary>
public static class StaffPolicies
{
    private const string Prefix = "staff:";
    public const string ReadApiKeys = Prefix + ScopeCatalog.ReadApiKeys;
    public const string ReadUsers = Prefix + ScopeCatalog.ReadUsers;
    public const string ReadAudit = Prefix + ScopeCatalog.ReadAudit;
    public const string DownloadAudit = Prefix + ScopeCatalog.DownloadAudit;
    public const string ReadWebhooks = Prefix + ScopeCatalog.ReadWebhooks;
    public const string ReadSettings = Prefix + ScopeCatalog.ReadSettings;
    public const string Owner = "staff:owner";

    public static string For(string permission) => Prefix + permission;
}

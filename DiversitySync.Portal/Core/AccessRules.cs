using System.Collections.Frozen;

namespace DiversitySync.Portal.Core;

/// <summary>
/// Why a key may not be used. The token endpoint answers all of these alike; the audit log tells them apart.
/// </summary>
public enum KeyRefusal
{
    None,
    MalformedKey,
    ClientIdMismatch,
    UnknownKey,
    WrongSecret,
    Revoked,
    Expired,
    CreatorArchived,
    CreatorNotActive,
}

/// <summary>
/// What an actor may do now, written once: the database (<c>ActorAccess</c>, for the services), the in-memory key
/// registry (the token endpoint and /v1) and sessions (cookies and circuits) each read their snapshot of staff and
/// keys and decide here (P-04, P-06).
/// <list type="bullet">
/// <item>A staff member may act only while active, with the union of their roles' permissions.</item>
/// <item>A key is usable while it is neither revoked nor expired and its creator is active.</item>
/// <item>A usable key may use its own scopes that its creator holds now, narrowed again by the scopes of the token
/// it called with: a key never exceeds its creator, nor its token.</item>
/// </list>
/// </summary>
public static class AccessRules
{
    /// <summary>Whether a staff member in this standing may sign in and act, and their keys work.</summary>
    public static bool MayAct(StaffStatus status) => status == StaffStatus.Active;

    /// <summary>A staff member's access, or null when they may not act at all.</summary>
    public static Access? OfStaff(string staffId, StaffStatus status, bool isOwner, FrozenSet<string> permissions) =>
        MayAct(status) ? new Access(staffId, isOwner, permissions, permissions) : null;

    /// <summary>Whether a key may be used now, from its own state and its creator's (null: no such creator).</summary>
    public static KeyRefusal Judge(DateTime? revokedAt, DateTime? expiresAt, StaffStatus? creatorStatus,
        DateTime now) =>
        revokedAt is not null ? KeyRefusal.Revoked
        : expiresAt <= now ? KeyRefusal.Expired
        : creatorStatus == StaffStatus.Archived ? KeyRefusal.CreatorArchived
        : creatorStatus is not { } status || !MayAct(status) ? KeyRefusal.CreatorNotActive
        : KeyRefusal.None;

    /// <summary>Whether a key is neither revoked nor expired: what "active" means in lists and counts.</summary>
    public static bool IsLive(DateTime? revokedAt, DateTime? expiresAt, DateTime now) => revokedAt is null
        && !(expiresAt <= now);

    /// <summary>
    /// The scopes a key may use now: its own, cut down to what its creator holds, and to the calling token's scopes.
    /// Usually the creator still holds them all and there is no token to narrow by: then the key's own set, with no
    /// set built per request.
    /// </summary>
    public static FrozenSet<string> KeyScopes(FrozenSet<string> keyScopes, FrozenSet<string> creatorPermissions,
        IReadOnlySet<string>? tokenScopes = null) =>
        keyScopes.All(s => creatorPermissions.Contains(s) && (tokenScopes?.Contains(s) ?? true))
            ? keyScopes
            : keyScopes.Where(s => creatorPermissions.Contains(s)
                && (tokenScopes?.Contains(s) ?? true)).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// A usable key's access: its creator's, with the key's scopes and field limits (null: the key may not act).
    /// </summary>
    public static Access? OfKey(Access? creator, KeyRefusal judged, FrozenSet<string> keyScopes,
        IReadOnlySet<string>? tokenScopes, KeyFields fields) =>
        creator is null || judged != KeyRefusal.None
            ? null
            : creator with
            {
                Permissions = KeyScopes(keyScopes, creator.Permissions, tokenScopes),
                ThroughKey = true,
                Fields = fields
            };
}

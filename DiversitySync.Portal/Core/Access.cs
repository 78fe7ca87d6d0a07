using System.Collections.Frozen;

namespace DiversitySync.Portal.Core;

/// <summary>
/// What an actor may do at this moment.
/// <list type="bullet">
/// <item><see cref="Permissions"/>: what it may use now. A staff member: their roles' permissions. A key: its scopes,
/// cut down to what its creator holds now and to the scopes of the token it called with.</item>
/// <item><see cref="Ceiling"/>: the most it may give or act upon: the permissions of the staff member behind it.
/// A key never lets anyone, its creator included, give more than its creator holds (P-06).</item>
/// </list>
/// </summary>
public sealed record Access(string? StaffId, bool IsOwner, FrozenSet<string> Permissions, FrozenSet<string> Ceiling)
{
    public bool Can(string permission) => Permissions.Contains(permission);

    /// <summary>
    /// The server itself or the admin CLI: acting for no staff member, bounded only by the data's own rules.
    /// </summary>
    public bool IsSystem => StaffId is null && !ThroughKey;

    /// <summary>A staff member acting themselves, signed in: not through a key, not the system.</summary>
    public bool InPerson => StaffId is not null && !ThroughKey;

    /// <summary>An API key acting for the staff member <see cref="StaffId"/>, its creator.</summary>
    public bool ThroughKey { get; init; }

    /// <summary>The fields a key is limited to: what it sees, and so what a refusal may tell it (K-08).</summary>
    public KeyFields Fields { get; init; } = KeyFields.Unrestricted;

    /// <summary>
    /// What the actor may act upon in another account or give away in a role: a person's own permissions; a key's
    /// scopes it may use now (its scopes ∩ its creator's permissions ∩ its token's). Whoever holds a key can never
    /// reach past its scopes through someone else's account (P-06).
    /// </summary>
    public FrozenSet<string> Authority => ThroughKey ? Permissions : Ceiling;

    public bool Sees(string resource, string field) => Fields.Allows(resource, field);
}

namespace DiversitySync.Portal.Data;

/// <summary>A key's access at a glance, fixed when it is created: what its scopes amounted to then.</summary>
public enum KeyAccess
{
    /// <summary>Every scope is a read: scope.</summary>
    ReadOnly,
    /// <summary>Every scope its creator held when it was created.</summary>
    Admin,
    /// <summary>Anything else.</summary>
    Custom,
}

public static class KeyAccesses
{
    public static KeyAccess Of(IReadOnlyCollection<string> scopes, IEnumerable<string> creatorHeld) =>
        scopes.All(s => Scope.VerbOf(s) == ScopeVerbs.Read) ? KeyAccess.ReadOnly
        : creatorHeld.All(scopes.Contains) ? KeyAccess.Admin
        : KeyAccess.Custom;

    public static string ToCode(this KeyAccess access) => access switch
    {
        KeyAccess.ReadOnly => "read_only",
        KeyAccess.Admin => "admin",
        _ => "custom",
    };

    /// <summary>"Read-only", "Admin" or "Custom (3 scopes)".</summary>
    public static string Label(this KeyAccess access, int scopes) => access switch
    {
        KeyAccess.ReadOnly => "Read-only",
        KeyAccess.Admin => "Admin",
        _ => scopes == 1 ? "Custom (1 scope)" : $"Custom ({scopes} scopes)",
    };

    public static bool TryParse(string? code, out KeyAccess access) => EnumCodes.TryParse(code, ToCode, out access);
}

namespace DiversitySync.Portal.Core;

/// <summary>
/// Who is acting: a signed-in staff member, an API key (through /v1), or the system (the admin CLI, the setup link).
/// Every service method that reads or changes keys, staff, roles, links or the audit log takes one and checks what
/// it may do at that moment (<see cref="ActorAccess"/>); the audit log records it.
/// </summary>
public sealed record Actor(string Type, string? Id, string Name, string? ClientIp = null, string? CorrelationId = null)
{
    public const string StaffType = "staff";
    public const string KeyType = "key";
    public const string SystemType = "system";

    /// <summary>
    /// For a key: the scopes of the access token it called with, which can only narrow what the key may do.
    /// </summary>
    public IReadOnlySet<string>? TokenScopes { get; init; }

    /// <summary>For a key: the fields it is limited to, which any key it creates inherits at most.</summary>
    public KeyFields? TokenFields { get; init; }

    public static Actor Cli { get; } = new(SystemType, null, "Admin CLI");

    public static Actor System { get; } = new(SystemType, null, "System");

    public static Actor Staff(string staffId, string name, string? clientIp = null, string? correlationId = null) =>
        new(StaffType, staffId, name, clientIp, correlationId);

    public static Actor Key(string keyId, string name, IReadOnlySet<string> tokenScopes, string? clientIp = null,
        string? correlationId = null, KeyFields? fields = null) =>
        new(KeyType, keyId, name, clientIp, correlationId) { TokenScopes = tokenScopes, TokenFields = fields };
}

namespace DiversitySync.Portal.Audit;

/// <summary>Who is acting: a signed-in staff member, an API key (through /v1), or the system (the CLI).</summary>
public sealed record Actor(string Type, string? Id, string Name, string? ClientIp = null, string? CorrelationId = null)
{
    public const string StaffType = "staff";
    public const string KeyType = "key";
    public const string SystemType = "system";

    public static Actor Cli { get; } = new(SystemType, null, "Admin CLI");

    public static Actor System { get; } = new(SystemType, null, "System");
}

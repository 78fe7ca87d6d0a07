namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// The built-in role names as an operator types them (README, CLI --role), not read from the code under test.
/// </summary>
public static class StaffRoleNames
{
    public const string Owner = "Owner";
    public const string Admin = "Admin";
    public const string ReadOnly = "ReadOnly";
}

namespace DiversitySync.Portal.Data;

public enum ApiKeyEnvironment
{
    Live,
    Test,
}

public static class ApiKeyEnvironments
{
    /// <summary>The lowercase form used in keys, tokens (the env claim) and the API.</summary>
    public static string ToCode(this ApiKeyEnvironment environment) =>
        environment == ApiKeyEnvironment.Live ? "live" : "test";

    public static bool TryParse(string? code, out ApiKeyEnvironment environment) => EnumCodes.TryParse(code, ToCode,
        out environment);
}

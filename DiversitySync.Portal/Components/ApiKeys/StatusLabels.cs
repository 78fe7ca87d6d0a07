using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>The words the portal uses for each status and environment, in badges and filter options alike.</summary>
public static class StatusLabels
{
    public static string Of(ApiKeyEnvironment environment) => environment == ApiKeyEnvironment.Live ? "Live" : "Test";

    public static string Of(ApiKeyStatus status) => status switch
    {
        ApiKeyStatus.Active => "Active",
        ApiKeyStatus.ExpiringSoon => "Expiring soon",
        ApiKeyStatus.Expired => "Expired",
        ApiKeyStatus.Replaced => "Replaced",
        _ => "Revoked",
    };
}

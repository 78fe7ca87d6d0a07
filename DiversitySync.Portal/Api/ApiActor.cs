using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.RateLimiting;
using DiversitySync.Portal.Tokens;

namespace DiversitySync.Portal.Api;

/// <summary>Who is acting on /v1, for the audit log: the calling key, with its name, client IP and correlation id.</summary>
public static class ApiActor
{
    public static Actor Of(HttpContext http)
    {
        var keyId = http.User.KeyId();
        var name = http.RequestServices.GetRequiredService<KeyRegistry>().FindKey(keyId)?.Name ?? keyId;
        return new Actor(Actor.KeyType, keyId, name, http.ClientIp(), http.TraceIdentifier);
    }
}

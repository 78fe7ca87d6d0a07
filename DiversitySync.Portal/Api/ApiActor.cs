using DiversitySync.Portal.Audit;
using DiversitySync.Portal.RateLimiting;
using DiversitySync.Portal.Tokens;

namespace DiversitySync.Portal.Api;

/// <summary>Who is acting on /v1: the calling key, the scopes of its token, its client IP and the correlation id.</summary>
public static class ApiActor
{
    public static Actor Of(HttpContext http) =>
        Actor.Key(http.User.KeyId(), http.User.KeyName(), http.User.Scopes(), http.ClientIp(), http.TraceIdentifier);
}

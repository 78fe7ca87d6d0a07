using DiversitySync.Portal.Keys;
using DiversitySync.Portal.RateLimiting;
using DiversitySync.Portal.Tokens;

namespace DiversitySync.Portal.Api;

/// <summary>
/// Who is acting on /v1: the calling key, the scopes of its token, its fields, its client IP and the correlation id.
/// </summary>
public static class ApiActor
{
    public static Actor Of(HttpContext http) =>
        Actor.Key(http.User.KeyId(), http.User.KeyName(), http.User.Scopes(), http.ClientIp(), http.TraceIdentifier,
            http.KeyFields());

    /// <summary>
    /// The fields the calling key is limited to: read from the key itself (the same as its tokens' fields claim,
    /// since a key's fields never change), after the bearer handler has checked the key is current.
    /// </summary>
    public static KeyFields KeyFields(this HttpContext http) =>
        http.RequestServices.GetRequiredService<KeyRegistry>().FindKey(http.User.KeyId())?.Fields
        ?? throw new InvalidOperationException("A /v1 request without a known calling key.");
}

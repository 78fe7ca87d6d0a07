using DiversitySync.Portal.Components.Account;
using DiversitySync.Portal.RateLimiting;

namespace DiversitySync.Portal.Components.Shared;

public static class PortalActor
{
    /// <summary>
    /// The signed-in staff member as the actor of a service call: the services check what they may do.
    /// </summary>
    public static Actor StaffActor(this HttpContext http)
    {
        var user = PortalUser.From(http.User) ?? throw new InvalidOperationException("No staff member is signed in.");
        return Actor.Staff(user.Id, user.DisplayName, http.ClientIp(), http.TraceIdentifier);
    }
}

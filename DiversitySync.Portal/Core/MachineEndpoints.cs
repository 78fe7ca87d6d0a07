namespace DiversitySync.Portal.Core;

/// <summary>
/// The paths that answer programs, not people: errors there are problem details, never the portal's HTML pages.
/// </summary>
public static class MachineEndpoints
{
    public static bool Contains(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/oauth") || path.StartsWithSegments("/.well-known")
        || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/openapi");
}

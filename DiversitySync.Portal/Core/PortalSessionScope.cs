namespace DiversitySync.Portal.Core;

/// <summary>
/// The portal session (the default authentication scheme) is re-checked against the database on every request it
/// is read on (P-04). Static assets, health checks, the token endpoint, discovery and /v1 never use it: on those the
/// session is not checked and the request stays anonymous, so a page with twenty assets costs one check, not
/// twenty-one.
/// </summary>
public static class PortalSessionScope
{
    private sealed class WithoutSession;

    private static readonly WithoutSession Marker = new();

    public static TBuilder WithoutPortalSession<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(Marker));
        return builder;
    }

    public static bool IsWithoutPortalSession(this HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<WithoutSession>() is not null;
}

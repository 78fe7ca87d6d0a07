using SkipStatusCodePagesAttribute = Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute;

namespace DiversitySync.Portal.Core;

/// <summary>
/// The POST-only endpoints that programs call with no cookie or other ambient credential (the OAuth endpoints, the
/// secret-scanning report): routing runs them at once (ShortCircuit), skipping the portal's authentication,
/// authorization and antiforgery, and their errors are their own, never the portal's pages.
/// </summary>
public static class MachinePosts
{
    /// <summary>
    /// Every other common method reaches the handler too, which answers 405 with Allow: POST in its own format.
    /// </summary>
    private static readonly string[] OtherMethods = ["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"];

    /// <summary>
    /// The POST, for the OpenAPI document to describe from its metadata; the other methods are left out of it.
    /// </summary>
    public static RouteHandlerBuilder MapMachinePost(this IEndpointRouteBuilder endpoints, string path,
        Delegate handler)
    {
        endpoints.MapMethods(path, OtherMethods,
            handler).ShortCircuit().WithMetadata(new SkipStatusCodePagesAttribute()).ExcludeFromDescription();
        var post = endpoints.MapPost(path, handler).WithMetadata(new SkipStatusCodePagesAttribute());
        post.ShortCircuit();
        return post;
    }

    /// <summary>
    /// The request body the OpenAPI document shows for an endpoint that reads its body itself (and answers a wrong
    /// content type in its own format). Not <c>Accepts</c>: that makes routing refuse other content types first.
    /// </summary>
    public static RouteHandlerBuilder DescribedBody<T>(this RouteHandlerBuilder builder,
        params string[] contentTypes) =>
        builder.WithMetadata(new DescribedRequestBody(typeof(T), contentTypes));
}

/// <summary>See <see cref="MachinePosts.DescribedBody"/>.</summary>
public sealed record DescribedRequestBody(Type Type, IReadOnlyList<string> ContentTypes);

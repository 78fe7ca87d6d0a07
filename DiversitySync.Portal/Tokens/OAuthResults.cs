using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// An RFC 6749 §5.2 error as an endpoint's result: its status, a challenge naming the scheme the client tried on a
/// 401, Retry-After when it says when, never cached. Its metadata tells the OpenAPI document every status the OAuth
/// endpoints refuse with.
/// </summary>
public sealed class OAuthErrorResult(OAuthError error, ClientAuthMethod method = ClientAuthMethod.None,
    int? retryAfterSeconds = null)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<OAuthError>, IEndpointMetadataProvider
{
    public OAuthError Value => error;

    object? IValueHttpResult.Value => error;

    public int? StatusCode => error.Status;

    public static OAuthErrorResult TooMany(int retryAfterSeconds) => new(OAuthError.TooManyRequests(retryAfterSeconds),
        retryAfterSeconds: retryAfterSeconds);

    public static OAuthErrorResult Unavailable() => new(OAuthError.Unavailable(), retryAfterSeconds: 5);

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = error.Status;
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = OAuthError.ChallengeFor(method);
        }
        if (retryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        OAuthResponses.NoStore(http.Response);
        await http.Response.WriteAsJsonAsync(error, OAuthJson.Default.OAuthError,
            cancellationToken: http.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        int[] statuses = [400, 401, 403, 405, 413, 429, 503];
        foreach (var status in statuses)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(OAuthError), ["application/json"]));
        }
    }
}

/// <summary>
/// A successful OAuth answer: JSON from a generated serializer (no reflection per request), never cached.
/// </summary>
public sealed class OAuthJsonResult<T>(T value, JsonTypeInfo<T> json)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext http)
    {
        OAuthResponses.NoStore(http.Response);
        return http.Response.WriteAsJsonAsync(value, json, cancellationToken: http.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T),
            ["application/json"]));
}

/// <summary>RFC 6749 §5.1: responses carrying or refusing credentials are never cached.</summary>
public static class OAuthResponses
{
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}

/// <summary>OAuth errors, serialized without reflection.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(OAuthError))]
internal sealed partial class OAuthJson : System.Text.Json.Serialization.JsonSerializerContext;

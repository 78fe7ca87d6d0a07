using System.Security.Claims;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

public static class MeEndpoints
{
    public sealed record MeResponse(string KeyId, string Name, ApiKeyEnvironment Environment, IReadOnlyList<string> Scopes, DateTime? ExpiresAt, StaffRef CreatedBy);

    public static RouteGroupBuilder MapMe(this RouteGroupBuilder v1)
    {
        v1.MapGet("/me", GetMe).WithSummary("The calling key: id, name, environment, the scopes this token may use now, expiry.");
        return v1;
    }

    /// <summary>Any valid token may ask who it is.</summary>
    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(ClaimsPrincipal user, ApiKeyQueries keys, ScopeCatalog catalog, CancellationToken cancellationToken)
    {
        var key = await keys.GetAsync(user.KeyId(), cancellationToken);
        if (key is null) return TypedResults.Problem("The calling key no longer exists.", statusCode: StatusCodes.Status404NotFound);
        return TypedResults.Ok(new MeResponse(key.KeyId, key.Name, key.Environment, catalog.Order(user.Scopes()), key.ExpiresAt, key.CreatedBy));
    }
}

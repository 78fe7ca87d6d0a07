using System.Security.Claims;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

public static class MeEndpoints
{
    public sealed record MeResponse(string KeyId, string Name, ApiKeyEnvironment Environment,
        IReadOnlyList<string> Scopes, DateTime? ExpiresAt, MeCreator CreatedBy,
        IReadOnlyDictionary<string, IReadOnlyList<string>> Fields);

    /// <param name="DisplayName">Absent for a key that may not see staff names (K-08).</param>
    public sealed record MeCreator(string Id,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? DisplayName);

    public static RouteGroupBuilder MapMe(this RouteGroupBuilder v1)
    {
        v1.MapGet("/me", GetMe).WithSummary("The calling key: id, name, environment, the scopes this token may use " +
            "now, expiry, and the fields it is limited to.").WithTags("Me");
        return v1;
    }

    /// <summary>
    /// Any valid token may ask who it is. Answered from memory: integrations call it often (hot paths touch no
    /// database).
    /// </summary>
    public static Results<Ok<MeResponse>, ProblemHttpResult> GetMe(ClaimsPrincipal user, KeyRegistry registry,
        ScopeCatalog catalog)
    {
        // The bearer handler has just checked that this key and its creator are current.
        if (registry.FindKey(user.KeyId()) is not { } key || registry.FindCreator(key.CreatorId) is not { } creator)
        {
            return TypedResults.Problem("The calling key no longer exists.", statusCode: StatusCodes.Status404NotFound);
        }
        return TypedResults.Ok(new MeResponse(
            key.KeyId, user.KeyName(), key.Environment, catalog.Order(user.Scopes()), key.ExpiresAt,
            new MeCreator(creator.Id,
                key.Fields.Allows(ScopeCatalog.Resources.Staff, "name") ? creator.DisplayName : null),
            key.Fields.ByResource));
    }
}

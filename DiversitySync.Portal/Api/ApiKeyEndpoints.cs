using System.Security.Claims;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

/// <summary>/v1/api-keys: the same search, creation and revocation as the portal, for integrations.</summary>
public static class ApiKeyEndpoints
{
    public sealed record CreateApiKeyBody(string? Name, string? Description, string? Environment, string[]? Scopes, DateTime? ExpiresAt);
    public sealed record CreatedApiKey(string Key, ApiKeyView ApiKey);
    public sealed record RevokeBody(string? Reason);

    public static RouteGroupBuilder MapApiKeys(this RouteGroupBuilder v1)
    {
        var keys = v1.MapGroup("/api-keys").WithTags("API keys");
        keys.MapGet("/", List).RequireScope(ScopeCatalog.ReadApiKeys)
            .WithSummary("Search, filter, sort and page the organisation's keys.");
        keys.MapGet("/{keyId}", Get).RequireScope(ScopeCatalog.ReadApiKeys);
        keys.MapPost("/", Create).RequireScope(ScopeCatalog.WriteApiKeys)
            .WithSummary("Create a key. The response holds the key itself, once. Its scopes can only be ones the calling key holds.");
        keys.MapPost("/{keyId}/revoke", Revoke).RequireScope(ScopeCatalog.WriteApiKeys);
        return v1;
    }

    public static async Task<Results<Ok<ApiKeyPage>, ValidationProblem>> List(
        ApiKeyQueries queries, string? search, string? creator, string? environment, string? status, string? sort, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        ApiKeyEnvironment? env = null;
        ApiKeyStatus? state = null;
        var order = ApiKeySort.CreatedNewest;
        if (search?.Length > ApiKeyQuery.SearchMaxLength) errors["search"] = [$"search can be at most {ApiKeyQuery.SearchMaxLength} characters."];
        if (environment is not null && ApiKeyEnvironments.TryParse(environment, out var e)) env = e;
        else if (environment is not null) errors["environment"] = ["environment must be live or test."];
        if (status is not null && ApiKeyStatuses.TryParse(status, out var s)) state = s;
        else if (status is not null) errors["status"] = ["status must be active, expiring_soon, expired or revoked."];
        if (sort is not null && !ApiKeySorts.ByCode.TryGetValue(sort, out order)) errors["sort"] = [$"sort must be one of {string.Join(", ", ApiKeySorts.ByCode.Keys)}."];
        if (page < 1) errors["page"] = ["page starts at 1."];
        if (pageSize is < 1 or > ApiKeyQuery.MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {ApiKeyQuery.MaxPageSize}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var query = new ApiKeyQuery(search, creator, env, state, order, page ?? 1, pageSize ?? ApiKeyQuery.DefaultPageSize);
        return TypedResults.Ok(await queries.SearchAsync(query, cancellationToken));
    }

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> Get(string keyId, ApiKeyQueries queries, CancellationToken cancellationToken) =>
        await queries.GetAsync(keyId, cancellationToken) is { } key ? TypedResults.Ok(key) : NotFound(keyId);

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> Create(
        CreateApiKeyBody body, ClaimsPrincipal user, HttpContext http, ApiKeyService service, CancellationToken cancellationToken)
    {
        var request = new NewApiKeyRequest(body.Name, body.Description, body.Environment, body.Scopes, body.ExpiresAt);
        // A key never mints a broader key: the new scopes must be ones this token may use now (product.md §1).
        var result = await service.CreateAsync(request, user.CreatorId(), ApiActor.Of(http), user.Scopes(), user.KeyId(), cancellationToken);
        if (result.Created is not { } created) return TypedResults.ValidationProblem(result.Errors);

        http.Response.Headers.CacheControl = "no-store"; // the response carries the key (security-checklist K-04)
        return TypedResults.Created($"/v1/api-keys/{created.Key.KeyId}", new CreatedApiKey(created.Plaintext, created.Key));
    }

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> Revoke(
        string keyId, RevokeBody? body, HttpContext http, ApiKeyService service, ApiKeyQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await service.RevokeAsync(keyId, ApiActor.Of(http), body?.Reason, cancellationToken);
        return outcome switch
        {
            RevokeOutcome.Revoked => TypedResults.Ok((await queries.GetAsync(keyId, cancellationToken))!),
            RevokeOutcome.AlreadyRevoked => TypedResults.Problem(
                $"Key {keyId} was already revoked. Revocation cannot be undone.", statusCode: StatusCodes.Status409Conflict, title: "Already revoked"),
            _ => NotFound(keyId),
        };
    }

    private static ProblemHttpResult NotFound(string keyId) => TypedResults.Problem(
        ApiKeyFormat.IsKeyId(keyId) ? $"There is no key {keyId}." : "A key id is 16 lowercase hex characters.",
        statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

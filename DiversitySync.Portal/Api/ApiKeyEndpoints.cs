using DiversitySync.Portal.Keys;
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

    public static async Task<Results<Ok<ApiKeyPage>, ValidationProblem, ProblemHttpResult>> List(
        HttpContext http, ApiKeyQueries queries, string? search, string? creator, string? environment, string? status, string? sort, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var (query, errors) = ApiKeyQueryParser.Parse(search, creator, environment, status, sort, page, pageSize);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var found = await queries.SearchAsync(ApiActor.Of(http), query, cancellationToken);
        return found.Succeeded ? TypedResults.Ok(found.Value) : found.Refusal!.ToProblem();
    }

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> Get(string keyId, HttpContext http, ApiKeyQueries queries, CancellationToken cancellationToken)
    {
        var found = await queries.GetAsync(ApiActor.Of(http), keyId, cancellationToken);
        return found.Succeeded ? TypedResults.Ok(found.Value) : found.Refusal!.ToProblem();
    }

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> Create(
        CreateApiKeyBody body, HttpContext http, ApiKeyService service, CancellationToken cancellationToken)
    {
        var request = new NewApiKeyRequest(body.Name, body.Description, body.Environment, body.Scopes, body.ExpiresAt);
        // The key belongs to the calling key's creator, and never holds more than this token may use now.
        var result = await service.CreateAsync(request, ApiActor.Of(http), cancellationToken: cancellationToken);
        if (result.Refusal is { } refused) return refused.ToProblem();
        if (result.Created is not { } created) return TypedResults.ValidationProblem(result.Errors);

        http.Response.Headers.CacheControl = "no-store"; // the response carries the key (K-04)
        return TypedResults.Created($"/v1/api-keys/{created.Key.KeyId}", new CreatedApiKey(created.Plaintext, created.Key));
    }

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> Revoke(
        string keyId, RevokeBody? body, HttpContext http, ApiKeyService service, CancellationToken cancellationToken)
    {
        var revoked = await service.RevokeAsync(keyId, ApiActor.Of(http), body?.Reason, cancellationToken);
        return revoked.Succeeded ? TypedResults.Ok(revoked.Value) : revoked.Refusal!.ToProblem();
    }
}

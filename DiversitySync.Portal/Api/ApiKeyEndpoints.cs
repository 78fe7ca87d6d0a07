using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

/// <summary>/v1/api-keys: the same search, creation and revocation as the portal, for integrations.</summary>
public static class ApiKeyEndpoints
{
    /// <param name="Fields">Fields to limit the key to, by resource (<c>{"staff": ["name", "email"]}</c>); a resource
    /// not named is not limited.</param>
    /// <param name="AllowedIps">IPv4/IPv6 addresses and CIDR ranges the key may be used from (at most 50); none:
    /// anywhere.</param>
    public sealed record CreateApiKeyBody(string? Name, string? Description, string? Environment, string[]? Scopes,
        DateTime? ExpiresAt, Dictionary<string, string[]>? Fields, string[]? AllowedIps);
    /// <param name="GraceSeconds">How long the old key keeps working, 0–604800 (default 86400, a day), never past
    /// its own expiry.</param>
    public sealed record RollBody(int? GraceSeconds);
    /// <param name="AllowedIps">The key's new IP allowlist; an empty list: anywhere.</param>
    public sealed record UpdateApiKeyBody(string[]? AllowedIps);
    public sealed record CreatedApiKey(string Key, ApiKeyView ApiKey);
    public sealed record RevokeBody(string? Reason);
    public sealed record BulkRevokeBody(string[]? KeyIds, string? Reason);
    public sealed record BulkExpiryBody(string[]? KeyIds, DateTime? ExpiresAt);

    public static RouteGroupBuilder MapApiKeys(this RouteGroupBuilder v1)
    {
        var keys = v1.MapGroup("/api-keys").WithTags("API keys").ServesResource(Resource);
        keys.MapGet("/", List).RequireScope(ScopeCatalog.ReadApiKeys).FilteredBy(FilteredFields)
            .WithSummary("Search, filter (environment, status, access, creator, and the review's used, expires, " +
                "created, unusedScopes, creatorStatus, writes and breaksPolicy), sort and page the organisation's keys.");
        keys.MapGet("/export", Export).RequireScope(ScopeCatalog.DownloadApiKeys).FilteredBy(FilteredFields)
            .WithSummary("Every key the filters match, as CSV, in the list's order. Same filters as the list, " +
                "without paging.");
        keys.MapGet("/{keyId}", Get).RequireScope(ScopeCatalog.ReadApiKeys);
        keys.MapGet("/{keyId}/usage", Usage).RequireScope(ScopeCatalog.ReadApiKeys)
            .DerivedFrom("last_used_at", "scopes")
            .WithSummary("The key's use per UTC day (token exchanges, refused exchanges, /v1 calls) for the last " +
                "days (1–400, default 90), refusals by reason, and when each of its scopes was last needed.");
        keys.MapGet("/report", Report).RequireScope(ScopeCatalog.DownloadApiKeys)
            .DerivedFrom("name", "environment", "status", "access", "scopes", "created_by", "created_at", "expires_at",
                "last_used_at", "last_used_ip")
            .WithSummary("The credential report: every key with its environment, status, access, scopes, creator " +
                "and their status, created, expires, last use, exchanges and /v1 calls in the last 30 days, and the " +
                "scopes used and unused in the review window. format=csv (the default) or json; streamed.");
        keys.MapGet("/review", Review).RequireScope(ScopeCatalog.ReadApiKeys)
            .DerivedFrom("status", "last_used_at", "expires_at", "environment", "scopes", "created_by")
            .WithSummary("The review's questions (never used, unused, never expire, expiring, expired, live keys " +
                "that can write, blocked creators, unused scopes), each with its count and the list filter that " +
                "shows those keys.");
        keys.MapPost("/", Create).RequireScope(ScopeCatalog.WriteApiKeys).ServedAt("apiKey")
            .WithSummary("Create a key. The response holds the key itself, once. Its scopes can only be ones the " +
                "calling key holds, and its fields no more than the calling key sees.");
        keys.MapPost("/{keyId}/revoke", Revoke).RequireScope(ScopeCatalog.WriteApiKeys);
        keys.MapPost("/{keyId}/roll", Roll).RequireScope(ScopeCatalog.WriteApiKeys).ServedAt("apiKey")
            .WithSummary("Roll a key: a new key with the same settings, shown once in the response; the old one keeps " +
                "working for graceSeconds (never past its own expiry), then is refused as replaced.");
        keys.MapPatch("/{keyId}", Update).RequireScope(ScopeCatalog.WriteApiKeys)
            .WithSummary("Change a key's IP allowlist (allowedIps; an empty list: anywhere). Audited with before " +
                "and after.");
        keys.MapPost("/revoke", RevokeMany).RequireScope(ScopeCatalog.WriteApiKeys).DerivedFrom()
            .WithSummary($"Revoke up to {ApiKeyService.BulkLimit} keys, each as a single revoke would: the answer " +
                "says per key whether it was done or why not (already revoked, unknown).");
        keys.MapPost("/expiry", SetExpiryMany).RequireScope(ScopeCatalog.WriteApiKeys).DerivedFrom()
            .WithSummary($"Set the expiry of up to {ApiKeyService.BulkLimit} keys (null: never), each as a single " +
                "change would; revoked and expired keys are refused one by one.");
        return v1;
    }

    private const string Resource = ScopeCatalog.Resources.ApiKeys;

    /// <summary>
    /// The fields a list request reads to filter and sort (the default order, newest first, reads none).
    /// </summary>
    private static IEnumerable<string> FilteredFields(HttpRequest request) =>
        FieldRestrictions.Parameters(("search", ["name"]), ("creator", ["created_by"]),
            ("environment", ["environment"]), ("status", ["status"]), ("access", ["access"]),
            ("used", ["last_used_at", "created_at"]), ("expires", ["expires_at"]), ("created", ["created_at"]),
            ("unusedScopes", ["scopes"]), ("creatorStatus", ["created_by"]), ("writes", ["scopes"]),
            ("breaksPolicy", ["environment", "created_at", "expires_at", "scopes", "allowed_ips"]))(request)
            .Concat(request.Query["sort"].ToString() switch
            {
                "" => [],
                "name" => ["name"],
                "last_used" => ["last_used_at"],
                _ => ["created_at"],
            });

    public static async Task<Results<Ok<Paged<ApiKeyView>>, ValidationProblem, ProblemHttpResult>> List(
        HttpContext http, ApiKeyQueries queries, [AsParameters] ApiKeyListParameters filters,
        CancellationToken cancellationToken)
    {
        var (query, errors) = ApiKeyQueryParser.Parse(filters);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var found = await queries.SearchAsync(ApiActor.Of(http), DefaultOrder(http, query, filters.Sort),
            cancellationToken);
        return found.Succeeded ? TypedResults.Ok(found.Value) : found.Refusal!.ToProblem();
    }

    /// <summary>Streams in constant memory: rows are read from the database as they are written out.</summary>
    public static async Task<IResult> Export(
        HttpContext http, ApiKeyQueries queries, TimeProvider time, [AsParameters] ApiKeyListParameters filters)
    {
        var (query, errors) = ApiKeyQueryParser.Parse(filters with { Page = null, PageSize = null });
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var found = await queries.StreamAsync(ApiActor.Of(http), DefaultOrder(http, query, filters.Sort),
            http.RequestAborted);
        if (found.Value is not { } keys) return found.Refusal!.ToProblem();
        var columns = ApiKeyCsv.Columns(creatorNames: http.Sees(ScopeCatalog.Resources.Staff, "name"));
        await Csv.RespondAsync(http, "api-keys", keys, http.VisibleColumns(Resource, columns, identifiers: 2), time);
        return TypedResults.Empty;
    }

    /// <summary>
    /// Newest first, unless the caller may not see created_at: then by key id, so no hidden field orders what it is
    /// served.
    /// </summary>
    private static ApiKeyQuery DefaultOrder(HttpContext http, ApiKeyQuery query, string? sort) =>
        sort is null && !http.Sees(Resource, "created_at") ? query with { Sort = ApiKeySort.KeyId } : query;

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> Get(string keyId, HttpContext http,
        ApiKeyQueries queries, CancellationToken cancellationToken)
    {
        var found = await queries.GetAsync(ApiActor.Of(http), keyId, cancellationToken);
        return found.Succeeded ? TypedResults.Ok(found.Value) : found.Refusal!.ToProblem();
    }

    public static async Task<Results<Ok<KeyUsageReport>, ValidationProblem, ProblemHttpResult>> Usage(string keyId,
        HttpContext http, KeyUsageQueries usage, int? days, CancellationToken cancellationToken)
    {
        var found = await usage.ForKeyAsync(ApiActor.Of(http), keyId, days ?? 90, cancellationToken);
        if (found.Refusal is { Errors.Count: > 0 } invalid) return TypedResults.ValidationProblem(invalid.Errors);
        return found.Succeeded ? TypedResults.Ok(found.Value) : found.Refusal!.ToProblem();
    }

    public static async Task<IResult> Report(HttpContext http, CredentialReport report, TimeProvider time,
        string? format)
    {
        if (format is not (null or "csv" or "json"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["format"] = ["format must be csv or json."],
            });
        }
        var rows = await report.StreamAsync(ApiActor.Of(http), http.RequestAborted);
        if (rows.Value is not { } stream) return rows.Refusal!.ToProblem();
        http.Response.Headers.CacheControl = "no-store";
        if (format == "json") return TypedResults.Ok(stream);
        await Csv.RespondAsync(http, "credential-report", stream, CredentialReport.Columns, time);
        return TypedResults.Empty;
    }

    public static async Task<Results<Ok<IReadOnlyList<ReviewCard>>, ProblemHttpResult>> Review(HttpContext http,
        KeyReview review, CancellationToken cancellationToken)
    {
        var found = await review.CardsAsync(ApiActor.Of(http), cancellationToken);
        return found.Succeeded ? TypedResults.Ok(found.Value) : found.Refusal!.ToProblem();
    }

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> Create(
        CreateApiKeyBody body, HttpContext http, ApiKeyService service, CancellationToken cancellationToken)
    {
        var fields = body.Fields?.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)(f.Value ?? []));
        var request = new NewApiKeyRequest(body.Name, body.Description, body.Environment, body.Scopes, body.ExpiresAt,
            fields, body.AllowedIps);
        // The key belongs to the calling key's creator, and never holds more than this token may use now.
        return NewKey(http, await service.CreateAsync(request, ApiActor.Of(http), cancellationToken: cancellationToken));
    }

    public const int DefaultGraceSeconds = 24 * 60 * 60;

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> Roll(
        string keyId, RollBody? body, HttpContext http, ApiKeyService service, CancellationToken cancellationToken) =>
        NewKey(http, await service.RollAsync(keyId, body?.GraceSeconds ?? DefaultGraceSeconds, ApiActor.Of(http),
            cancellationToken));

    /// <summary>A created or rolled key: 201 with the key itself, once, and never cached (K-04).</summary>
    private static Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult> NewKey(HttpContext http,
        Outcome<NewApiKey> result)
    {
        if (result.Refusal is { Errors.Count: > 0 } invalid) return TypedResults.ValidationProblem(invalid.Errors);
        if (result.Value is not { } created) return result.Refusal!.ToProblem();
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/api-keys/{created.Key.KeyId}",
            new CreatedApiKey(created.Plaintext, created.Key));
    }

    public static async Task<Results<Ok<ApiKeyView>, ValidationProblem, ProblemHttpResult>> Update(string keyId,
        UpdateApiKeyBody body, HttpContext http, ApiKeyService service, CancellationToken cancellationToken)
    {
        if (body.AllowedIps is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["allowedIps"] = ["Nothing to change: send allowedIps (an empty list: anywhere)."],
            });
        }
        var updated = await service.SetAllowedIpsAsync(keyId, body.AllowedIps, ApiActor.Of(http), cancellationToken);
        if (updated.Refusal is { Errors.Count: > 0 } invalid) return TypedResults.ValidationProblem(invalid.Errors);
        return updated.Succeeded ? TypedResults.Ok(updated.Value) : updated.Refusal!.ToProblem();
    }

    public static async Task<Results<Ok<BulkOutcome>, ValidationProblem, ProblemHttpResult>> RevokeMany(
        BulkRevokeBody body, HttpContext http, ApiKeyService service, CancellationToken cancellationToken) =>
        Bulk(await service.RevokeManyAsync(body.KeyIds ?? [], ApiActor.Of(http), body.Reason, cancellationToken));

    public static async Task<Results<Ok<BulkOutcome>, ValidationProblem, ProblemHttpResult>> SetExpiryMany(
        BulkExpiryBody body, HttpContext http, ApiKeyService service, CancellationToken cancellationToken) =>
        Bulk(await service.SetExpiryManyAsync(body.KeyIds ?? [], body.ExpiresAt, ApiActor.Of(http),
            cancellationToken));

    private static Results<Ok<BulkOutcome>, ValidationProblem, ProblemHttpResult> Bulk(Outcome<BulkOutcome> done) =>
        done.Refusal is { Errors.Count: > 0 } invalid ? TypedResults.ValidationProblem(invalid.Errors)
        : done.Succeeded ? TypedResults.Ok(done.Value) : done.Refusal!.ToProblem();

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> Revoke(
        string keyId, RevokeBody? body, HttpContext http, ApiKeyService service, CancellationToken cancellationToken)
    {
        var revoked = await service.RevokeAsync(keyId, ApiActor.Of(http), body?.Reason, cancellationToken);
        return revoked.Succeeded ? TypedResults.Ok(revoked.Value) : revoked.Refusal!.ToProblem();
    }
}

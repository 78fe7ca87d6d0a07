using DiversitySync.Portal.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

/// <summary>
/// /v1/staff and /v1/invites: the Users screen for integrations. A key acts with its creator's authority, cut down
/// by its scopes: it can never give anyone, its creator included, more than its creator holds.
/// </summary>
public static class StaffEndpoints
{
    public sealed record InviteBody(string? Email, string? DisplayName, string[]? Roles);
    public sealed record RolesBody(string[]? Roles);
    public sealed record LinkResponse(StaffView Staff, string Url, DateTime ExpiresAt);
    /// <param name="RevokedKeys">How many active keys were revoked; absent for a key that may not see
    /// active_keys.</param>
    public sealed record ArchiveResponse(StaffView Staff, int? RevokedKeys);

    public static RouteGroupBuilder MapStaff(this RouteGroupBuilder v1)
    {
        var staff = v1.MapGroup("/staff").WithTags("Staff").ServesResource(Resource);
        staff.MapGet("/", List).RequireScope(ScopeCatalog.ReadUsers).FilteredBy(FilteredFields)
            .WithSummary("Search staff by name or email; filter by status.");
        staff.MapGet("/{id}", Get).RequireScope(ScopeCatalog.ReadUsers);
        staff.MapPut("/{id}/roles", SetRoles).RequireScope(ScopeCatalog.WriteRoles)
            .WithSummary("Replace a staff member's roles. Only roles whose permissions the key's creator holds; only " +
                "Owners grant Owner.");
        staff.MapPost("/{id}/archive", Archive).RequireScope(ScopeCatalog.WriteUserArchive).ServedAt("staff")
            .WithSummary("Archive a staff member: all their active keys are revoked in the same transaction.");
        staff.MapPost("/{id}/unarchive",
            Standing((s, id, actor, ct) => s.UnarchiveAsync(id, actor,
            ct))).RequireScope(ScopeCatalog.WriteUserArchive);
        staff.MapPost("/{id}/block",
            Standing((s, id, actor, ct) => s.BlockAsync(id, actor, ct))).RequireScope(ScopeCatalog.WriteUserBlocks)
            .WithSummary("Block a staff member: they cannot sign in and their keys stop working until unblocked.");
        staff.MapPost("/{id}/unblock",
            Standing((s, id, actor, ct) => s.UnblockAsync(id, actor, ct))).RequireScope(ScopeCatalog.WriteUserBlocks);
        staff.MapPost("/{id}/password-reset",
            ResetPassword).RequireScope(ScopeCatalog.WriteUserPasswords).ServedAt("staff")
            .WithSummary("Remove the password and return a one-time link (24 h) to choose a new one. The response is " +
                "the only copy.");
        staff.MapPost("/{id}/mfa-reset",
            Standing((s, id, actor, ct) => s.ResetMfaAsync(id, actor, ct))).RequireScope(ScopeCatalog.WriteUserMfa)
            .WithSummary("Turn off the staff member's authenticator; they enrol again from their profile.");
        v1.MapGroup("").WithTags("Staff").ServesResource(Resource).MapPost("/invites",
            Invite).RequireScope(ScopeCatalog.WriteInvites).ServedAt("staff")
            .WithSummary("Invite a staff member. The response holds the one-time invite link (7 days), once.");
        return v1;
    }

    private const string Resource = ScopeCatalog.Resources.Staff;

    /// <summary>Search matches names and emails, so it reads both.</summary>
    private static readonly Func<HttpRequest, IEnumerable<string>> FilteredFields =
        FieldRestrictions.Parameters(("search", ["name", "email"]), ("status", ["status"]));

    public static async Task<Results<Ok<Paged<StaffView>>, ValidationProblem, ProblemHttpResult>> List(
        HttpContext http, StaffQueries queries, string? search, string? status, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        StaffStatus? state = null;
        if (search?.Length > StaffQuery.SearchMaxLength)
        {
            errors["search"] = [$"search can be at most {StaffQuery.SearchMaxLength} characters."];
        }
        if (status is not null && StaffStatuses.TryParse(status, out var parsed)) state = parsed;
        else if (status is not null) errors["status"] = ["status must be active, invited, blocked or archived."];
        if (page < 1) errors["page"] = ["page starts at 1."];
        if (pageSize is < 1 or > StaffQuery.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {StaffQuery.MaxPageSize}."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var query = new StaffQuery(search, state, page ?? 1, pageSize ?? StaffQuery.DefaultPageSize,
            ById: !http.Sees(Resource, "name"));
        var found = await queries.SearchAsync(ApiActor.Of(http), query, cancellationToken);
        return found.Succeeded ? TypedResults.Ok(found.Value) : found.Refusal!.ToProblem();
    }

    public static async Task<Results<Ok<StaffView>, ProblemHttpResult>> Get(string id, HttpContext http,
        StaffQueries queries, CancellationToken cancellationToken)
    {
        var found = await queries.GetAsync(ApiActor.Of(http), id, cancellationToken);
        return found.Succeeded ? TypedResults.Ok(found.Value) : found.Refusal!.ToProblem();
    }

    public static async Task<Results<Created<LinkResponse>, ProblemHttpResult>> Invite(
        InviteBody body, HttpContext http, StaffInvites invites, CancellationToken cancellationToken)
    {
        var invited = await invites.InviteAsync(body.Email ?? "", body.DisplayName ?? "", body.Roles ?? [],
            ApiActor.Of(http), cancellationToken);
        if (invited.Value is not { } change) return invited.Refusal!.ToProblem();
        http.Response.Headers.CacheControl = "no-store"; // the link lets whoever holds it choose the password
        return TypedResults.Created($"/v1/staff/{change.StaffId}",
            new LinkResponse(change.Staff!, change.Link!.Url, change.Link.ExpiresAt));
    }

    public static async Task<Results<Ok<StaffView>, ProblemHttpResult>> SetRoles(
        string id, RolesBody body, HttpContext http, StaffRoles roles, CancellationToken cancellationToken) =>
        Answer(await roles.SetRolesAsync(id, body.Roles ?? [], ApiActor.Of(http), cancellationToken));

    public static async Task<Results<Ok<ArchiveResponse>, ProblemHttpResult>> Archive(
        string id, HttpContext http, StaffStanding standing, CancellationToken cancellationToken)
    {
        var archived = await standing.ArchiveAsync(id, ApiActor.Of(http), cancellationToken);
        return archived.Value is not { } change
            ? archived.Refusal!.ToProblem()
            : TypedResults.Ok(new ArchiveResponse(change.Staff!,
                http.KeyFields().Allows(Resource, "active_keys") ? change.RevokedKeys : null));
    }

    public static async Task<Results<Ok<LinkResponse>, ProblemHttpResult>> ResetPassword(
        string id, HttpContext http, StaffInvites invites, CancellationToken cancellationToken)
    {
        var reset = await invites.ResetPasswordAsync(id, ApiActor.Of(http), cancellationToken);
        if (reset.Value is not { } change) return reset.Refusal!.ToProblem();
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new LinkResponse(change.Staff!, change.Link!.Url, change.Link.ExpiresAt));
    }

    /// <summary>A handler for a change of standing that answers with the staff member as changed.</summary>
    private static Func<string, HttpContext, StaffStanding, CancellationToken, Task<Results<Ok<StaffView>, ProblemHttpResult>>> Standing(
        Func<StaffStanding, string, Actor, CancellationToken, Task<Outcome<StaffChange>>> change) =>
        async (id, http, standing,
            cancellationToken) => Answer(await change(standing, id, ApiActor.Of(http), cancellationToken));

    private static Results<Ok<StaffView>, ProblemHttpResult> Answer(Outcome<StaffChange> change) =>
        change.Value is { } done ? TypedResults.Ok(done.Staff!) : change.Refusal!.ToProblem();
}

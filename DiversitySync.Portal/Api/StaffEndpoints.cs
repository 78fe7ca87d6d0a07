using System.Security.Claims;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

/// <summary>
/// /v1/staff and /v1/invites: the Users screen for integrations (product.md §4). A key acts with its creator's
/// authority, cut down by its scopes: it can never give anyone, its creator included, more than its creator holds.
/// </summary>
public static class StaffEndpoints
{
    public sealed record InviteBody(string? Email, string? DisplayName, string[]? Roles);
    public sealed record RolesBody(string[]? Roles);
    public sealed record LinkResponse(StaffView Staff, string Url, DateTime ExpiresAt);
    public sealed record ArchiveResponse(StaffView Staff, int RevokedKeys);

    public static RouteGroupBuilder MapStaff(this RouteGroupBuilder v1)
    {
        var staff = v1.MapGroup("/staff").WithTags("Staff");
        staff.MapGet("/", List).RequireScope(ScopeCatalog.ReadUsers).WithSummary("Search staff by name or email; filter by status.");
        staff.MapGet("/{id}", Get).RequireScope(ScopeCatalog.ReadUsers);
        staff.MapPut("/{id}/roles", SetRoles).RequireScope(ScopeCatalog.WriteRoles)
            .WithSummary("Replace a staff member's roles. Only roles whose permissions the key's creator holds; only Owners grant Owner.");
        staff.MapPost("/{id}/archive", Archive).RequireScope(ScopeCatalog.WriteUserArchive)
            .WithSummary("Archive a staff member: all their active keys are revoked in the same transaction.");
        staff.MapPost("/{id}/unarchive", Change((admin, id, by, ct) => admin.UnarchiveAsync(id, by, ct))).RequireScope(ScopeCatalog.WriteUserArchive);
        staff.MapPost("/{id}/block", Change((admin, id, by, ct) => admin.BlockAsync(id, by, ct))).RequireScope(ScopeCatalog.WriteUserBlocks)
            .WithSummary("Block a staff member: they cannot sign in and their keys stop working until unblocked.");
        staff.MapPost("/{id}/unblock", Change((admin, id, by, ct) => admin.UnblockAsync(id, by, ct))).RequireScope(ScopeCatalog.WriteUserBlocks);
        staff.MapPost("/{id}/password-reset", ResetPassword).RequireScope(ScopeCatalog.WriteUserPasswords)
            .WithSummary("Remove the password and return a one-time link (24 h) to choose a new one. The response is the only copy.");
        staff.MapPost("/{id}/mfa-reset", Change((admin, id, by, ct) => admin.ResetMfaAsync(id, by, ct))).RequireScope(ScopeCatalog.WriteUserMfa)
            .WithSummary("Turn off the staff member's authenticator; they enrol again from their profile.");
        v1.MapPost("/invites", Invite).RequireScope(ScopeCatalog.WriteInvites).WithTags("Staff")
            .WithSummary("Invite a staff member. The response holds the one-time invite link (7 days), once.");
        return v1;
    }

    public static async Task<Results<Ok<StaffPage>, ValidationProblem>> List(
        StaffQueries queries, string? search, string? status, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        StaffStatus? state = null;
        if (search?.Length > StaffQuery.SearchMaxLength) errors["search"] = [$"search can be at most {StaffQuery.SearchMaxLength} characters."];
        if (status is not null && Enum.TryParse<StaffStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _)) state = parsed;
        else if (status is not null) errors["status"] = ["status must be active, invited, blocked or archived."];
        if (page < 1) errors["page"] = ["page starts at 1."];
        if (pageSize is < 1 or > StaffQuery.MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {StaffQuery.MaxPageSize}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await queries.SearchAsync(new StaffQuery(search, state, page ?? 1, pageSize ?? StaffQuery.DefaultPageSize), cancellationToken));
    }

    public static async Task<Results<Ok<StaffView>, ProblemHttpResult>> Get(string id, StaffQueries queries, CancellationToken cancellationToken) =>
        await queries.GetAsync(id, cancellationToken) is { } staff ? TypedResults.Ok(staff) : NotFound();

    public static async Task<Results<Created<LinkResponse>, ProblemHttpResult>> Invite(
        InviteBody body, HttpContext http, StaffAdmin admin, StaffQueries queries, CancellationToken cancellationToken)
    {
        var change = await admin.InviteAsync(body.Email ?? "", body.DisplayName ?? "", body.Roles ?? [], AuthorityOf(http), cancellationToken);
        if (!change.Succeeded) return Problem(change);
        http.Response.Headers.CacheControl = "no-store"; // the link lets whoever holds it choose the password
        var staff = (await queries.GetAsync(change.StaffId!, cancellationToken))!;
        return TypedResults.Created($"/v1/staff/{staff.Id}", new LinkResponse(staff, change.Link!.Url, change.Link.ExpiresAt));
    }

    public static Task<Results<Ok<StaffView>, ProblemHttpResult>> SetRoles(
        string id, RolesBody body, HttpContext http, StaffAdmin admin, StaffQueries queries, CancellationToken cancellationToken) =>
        Respond(admin.SetRolesAsync(id, body.Roles ?? [], AuthorityOf(http), cancellationToken), queries, cancellationToken);

    public static async Task<Results<Ok<ArchiveResponse>, ProblemHttpResult>> Archive(
        string id, HttpContext http, StaffAdmin admin, StaffQueries queries, CancellationToken cancellationToken)
    {
        var change = await admin.ArchiveAsync(id, AuthorityOf(http), cancellationToken);
        if (!change.Succeeded) return Problem(change);
        return TypedResults.Ok(new ArchiveResponse((await queries.GetAsync(id, cancellationToken))!, change.RevokedKeys));
    }

    public static async Task<Results<Ok<LinkResponse>, ProblemHttpResult>> ResetPassword(
        string id, HttpContext http, StaffAdmin admin, StaffQueries queries, CancellationToken cancellationToken)
    {
        var change = await admin.ResetPasswordAsync(id, AuthorityOf(http), cancellationToken);
        if (!change.Succeeded) return Problem(change);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new LinkResponse((await queries.GetAsync(id, cancellationToken))!, change.Link!.Url, change.Link.ExpiresAt));
    }

    /// <summary>A handler for a change that answers with the staff member as changed.</summary>
    private static Func<string, HttpContext, StaffAdmin, StaffQueries, CancellationToken, Task<Results<Ok<StaffView>, ProblemHttpResult>>> Change(
        Func<StaffAdmin, string, StaffAuthority, CancellationToken, Task<StaffChange>> change) =>
        (id, http, admin, queries, cancellationToken) => Respond(change(admin, id, AuthorityOf(http), cancellationToken), queries, cancellationToken);

    private static async Task<Results<Ok<StaffView>, ProblemHttpResult>> Respond(Task<StaffChange> changing, StaffQueries queries, CancellationToken cancellationToken)
    {
        var change = await changing;
        return change.Succeeded ? TypedResults.Ok((await queries.GetAsync(change.StaffId!, cancellationToken))!) : Problem(change);
    }

    /// <summary>The key acts for its creator, whose permissions as of now bound what it can do to staff.</summary>
    private static StaffAuthority AuthorityOf(HttpContext http) => new(http.User.CreatorId(), ApiActor.Of(http));

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem("There is no such staff member.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ProblemHttpResult Problem(StaffChange change) => change.Error switch
    {
        StaffChangeError.NotFound => NotFound(),
        StaffChangeError.Forbidden => TypedResults.Problem(change.Message, statusCode: change.HttpStatus, title: "Not allowed"),
        StaffChangeError.Conflict => TypedResults.Problem(change.Message, statusCode: change.HttpStatus, title: "Conflict"),
        _ => TypedResults.Problem(change.Message, statusCode: change.HttpStatus, title: "Invalid request"),
    };
}

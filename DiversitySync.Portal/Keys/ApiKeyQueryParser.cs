namespace DiversitySync.Portal.Keys;

/// <summary>
/// A key list's parameters as /v1 names them (environment, status, sort and the review filters as their codes).
/// </summary>
public sealed record ApiKeyListParameters(
    string? Search = null, string? Creator = null, string? Environment = null, string? Status = null,
    string? Access = null, string? Sort = null, int? Page = null, int? PageSize = null, string? Used = null,
    string? Expires = null, string? Created = null, string? UnusedScopes = null, string? CreatorStatus = null,
    string? Writes = null, string? BreaksPolicy = null);

/// <summary>
/// Reads a key list's parameters as /v1, the CLI and the API Keys page send them. Every problem is named by its
/// parameter; whatever is valid is in the query either way, so a screen can ignore the errors and /v1 or the CLI can
/// refuse with them.
/// </summary>
public static class ApiKeyQueryParser
{
    public static (ApiKeyQuery Query, IReadOnlyDictionary<string, string[]> Errors) Parse(ApiKeyListParameters p)
    {
        var errors = new Dictionary<string, string[]>();
        var search = p.Search;
        if (search?.Length > ApiKeyQuery.SearchMaxLength)
        {
            errors["search"] = [$"search can be at most {ApiKeyQuery.SearchMaxLength} characters."];
            search = search[..ApiKeyQuery.SearchMaxLength];
        }
        var creator = p.Creator;
        if (creator?.Length > 64)
        {
            errors["creator"] = ["creator is a staff id."];
            creator = null;
        }
        ApiKeyEnvironment? env = null;
        if (p.Environment is not null && ApiKeyEnvironments.TryParse(p.Environment, out var e)) env = e;
        else if (p.Environment is not null) errors["environment"] = ["environment must be live or test."];
        ApiKeyStatus? state = null;
        if (p.Status is not null && ApiKeyStatuses.TryParse(p.Status, out var s))
        {
            state = s;
        }
        else if (p.Status is not null)
        {
            errors["status"] = ["status must be active, expiring_soon, expired or revoked."];
        }
        KeyAccess? accessLevel = null;
        if (p.Access is not null && KeyAccesses.TryParse(p.Access, out var a)) accessLevel = a;
        else if (p.Access is not null) errors["access"] = ["access must be read_only, admin or custom."];
        var order = ApiKeySort.CreatedNewest;
        if (p.Sort is not null && !ApiKeySorts.ByCode.TryGetValue(p.Sort, out order))
        {
            errors["sort"] = [$"sort must be one of {string.Join(", ", ApiKeySorts.ByCode.Keys)}."];
        }
        if (p.Page < 1) errors["page"] = ["page starts at 1."];
        if (p.PageSize is < 1 or > ApiKeyQuery.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {ApiKeyQuery.MaxPageSize}."];
        }
        StaffStatus? creatorStatus = null;
        if (p.CreatorStatus is not null && StaffStatuses.TryParse(p.CreatorStatus, out var cs))
        {
            creatorStatus = cs;
        }
        else if (p.CreatorStatus is not null)
        {
            errors["creatorStatus"] = ["creatorStatus must be active, invited, blocked or archived."];
        }
        var query = new ApiKeyQuery(
            string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
            string.IsNullOrWhiteSpace(creator) ? null : creator, env, state, accessLevel, order,
            p.Page is > 0 ? p.Page.Value : 1,
            p.PageSize is > 0 and <= ApiKeyQuery.MaxPageSize ? p.PageSize.Value : ApiKeyQuery.DefaultPageSize,
            Time(errors, "used", p.Used, TimeFilterKind.Never, TimeFilterKind.Within, TimeFilterKind.Before),
            Time(errors, "expires", p.Expires, TimeFilterKind.Never, TimeFilterKind.Within),
            Time(errors, "created", p.Created, TimeFilterKind.Within, TimeFilterKind.Before, TimeFilterKind.Between),
            Flag(errors, "unusedScopes", p.UnusedScopes), creatorStatus, Flag(errors, "writes", p.Writes),
            Flag(errors, "breaksPolicy", p.BreaksPolicy));
        return (query, errors);
    }

    private static TimeFilter? Time(Dictionary<string, string[]> errors, string name, string? code,
        params TimeFilterKind[] allowed)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var (filter, error) = TimeFilter.Parse(code, allowed);
        if (error is not null) errors[name] = [$"{name}: {error}"];
        return filter;
    }

    private static bool Flag(Dictionary<string, string[]> errors, string name, string? value)
    {
        if (value is null or "false") return false;
        if (value == "true") return true;
        errors[name] = [$"{name} must be true or false."];
        return false;
    }
}

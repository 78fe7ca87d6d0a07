namespace DiversitySync.Portal.Keys;

/// <summary>
/// Reads a key list's parameters as /v1, the CLI and the API Keys page send them (environment, status and sort as
/// their codes). Every problem is named by its parameter; whatever is valid is in the query either way, so a screen
/// can ignore the errors and /v1 or the CLI can refuse with them.
/// </summary>
public static class ApiKeyQueryParser
{
    public static (ApiKeyQuery Query, IReadOnlyDictionary<string, string[]> Errors) Parse(
        string? search = null, string? creator = null, string? environment = null, string? status = null,
        string? sort = null,
        int? page = null, int? pageSize = null, string? access = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (search?.Length > ApiKeyQuery.SearchMaxLength)
        {
            errors["search"] = [$"search can be at most {ApiKeyQuery.SearchMaxLength} characters."];
            search = search[..ApiKeyQuery.SearchMaxLength];
        }
        if (creator?.Length > 64)
        {
            errors["creator"] = ["creator is a staff id."];
            creator = null;
        }
        ApiKeyEnvironment? env = null;
        if (environment is not null && ApiKeyEnvironments.TryParse(environment, out var e)) env = e;
        else if (environment is not null) errors["environment"] = ["environment must be live or test."];
        ApiKeyStatus? state = null;
        if (status is not null && ApiKeyStatuses.TryParse(status, out var s)) state = s;
        else if (status is not null) errors["status"] = ["status must be active, expiring_soon, expired or revoked."];
        KeyAccess? accessLevel = null;
        if (access is not null && KeyAccesses.TryParse(access, out var a)) accessLevel = a;
        else if (access is not null) errors["access"] = ["access must be read_only, admin or custom."];
        var order = ApiKeySort.CreatedNewest;
        if (sort is not null && !ApiKeySorts.ByCode.TryGetValue(sort, out order))
        {
            errors["sort"] = [$"sort must be one of {string.Join(", ", ApiKeySorts.ByCode.Keys)}."];
        }
        if (page < 1) errors["page"] = ["page starts at 1."];
        if (pageSize is < 1 or > ApiKeyQuery.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {ApiKeyQuery.MaxPageSize}."];
        }
        var query = new ApiKeyQuery(
            string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
            string.IsNullOrWhiteSpace(creator) ? null : creator, env, state, accessLevel, order,
            page is > 0 ? page.Value : 1,
            pageSize is > 0 and <= ApiKeyQuery.MaxPageSize ? pageSize.Value : ApiKeyQuery.DefaultPageSize);
        return (query, errors);
    }
}

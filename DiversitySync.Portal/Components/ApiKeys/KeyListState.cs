using System.Globalization;
using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.WebUtilities;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>
/// The API Keys page's state as it lives in the query string: <c>q</c>, <c>creator</c>, <c>env</c>, <c>status</c>,
/// <c>access</c>, <c>sort</c>, <c>page</c>. Unknown values are ignored, never an error, so any shared link opens.
/// </summary>
public sealed record KeyListState(string? Q = null, string? Creator = null, string? Env = null, string? Status = null,
    string? Sort = null, int Page = 1, string? Access = null)
{
    public const string Path = "/admin/api-keys";

    public static KeyListState Parse(string? q, string? creator, string? env, string? status, string? sort,
        string? page, string? access = null)
    {
        q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (q?.Length > ApiKeyQuery.SearchMaxLength) q = q[..ApiKeyQuery.SearchMaxLength];
        // Whatever the shared parser refuses is dropped, so that a shared link with a stale value still opens.
        var pageNumber = Paging.PageFrom(page);
        var errors = ApiKeyQueryParser.Parse(q, creator, env, status, sort, pageNumber, access: access).Errors;
        return new(
            q,
            string.IsNullOrWhiteSpace(creator) || errors.ContainsKey("creator") ? null : creator,
            errors.ContainsKey("environment") ? null : env,
            errors.ContainsKey("status") ? null : status,
            errors.ContainsKey("sort") ? null : sort,
            pageNumber,
            errors.ContainsKey("access") ? null : access);
    }

    public ApiKeyQuery ToQuery() => ApiKeyQueryParser.Parse(Q, Creator, Env, Status, Sort, Page, access: Access).Query;

    public bool IsFiltered => Q is not null || Creator is not null || Env is not null || Status is not null
        || Access is not null;

    /// <summary>This list's address, with only the parameters that are set (page 1 is left out).</summary>
    public string ToUrl(int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Q,
            ["creator"] = Creator,
            ["env"] = Env,
            ["status"] = Status,
            ["access"] = Access,
            ["sort"] = Sort,
            ["page"] = (page ?? Page) is var p && p > 1 ? p.ToString(CultureInfo.InvariantCulture) : null,
        };
        return QueryHelpers.AddQueryString(Path, query.Where(pair => pair.Value is not null));
    }
}

using System.Globalization;
using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.WebUtilities;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>
/// The API Keys page's state as it lives in the query string: <c>q</c>, <c>creator</c>, <c>env</c>, <c>status</c>,
/// <c>access</c>, <c>sort</c>, <c>page</c>, and the review filters as /v1 names them (<c>used</c>, <c>expires</c>,
/// <c>created</c>, <c>unusedScopes</c>, <c>creatorStatus</c>, <c>writes</c>, <c>breaksPolicy</c>). Unknown values are ignored, never an
/// error, so any shared link opens.
/// </summary>
public sealed record KeyListState(string? Q = null, string? Creator = null, string? Env = null, string? Status = null,
    string? Sort = null, int Page = 1, string? Access = null, string? Used = null, string? Expires = null,
    string? Created = null, bool UnusedScopes = false, string? CreatorStatus = null, bool Writes = false,
    bool BreaksPolicy = false)
{
    public const string Path = "/admin/api-keys";

    /// <summary>The state a link asks for (<paramref name="asked"/> with the page as text), less what is invalid.</summary>
    public static KeyListState Parse(ApiKeyListParameters asked, string? page)
    {
        var q = string.IsNullOrWhiteSpace(asked.Search) ? null : asked.Search.Trim();
        if (q?.Length > ApiKeyQuery.SearchMaxLength) q = q[..ApiKeyQuery.SearchMaxLength];
        // Whatever the shared parser refuses is dropped, so that a shared link with a stale value still opens.
        var (query, errors) = ApiKeyQueryParser.Parse(asked with { Search = q, Page = Paging.PageFrom(page) });
        string? Valid(string name, string? value) =>
            string.IsNullOrWhiteSpace(value) || errors.ContainsKey(name) ? null : value;
        return new(
            q,
            Valid("creator", asked.Creator),
            Valid("environment", asked.Environment),
            Valid("status", asked.Status),
            Valid("sort", asked.Sort),
            query.Page,
            Valid("access", asked.Access),
            query.Used?.ToCode(),
            query.Expires?.ToCode(),
            query.Created?.ToCode(),
            query.UnusedScopes,
            query.CreatorStatus?.ToCode(),
            query.WriteScopes,
            query.BreaksPolicy);
    }

    /// <summary>The same list as /v1 and the CLI name it.</summary>
    public ApiKeyListParameters ToParameters() => new(Q, Creator, Env, Status, Access, Sort, Page, Used: Used,
        Expires: Expires, Created: Created, UnusedScopes: UnusedScopes ? "true" : null, CreatorStatus: CreatorStatus,
        Writes: Writes ? "true" : null, BreaksPolicy: BreaksPolicy ? "true" : null);

    public ApiKeyQuery ToQuery() => ApiKeyQueryParser.Parse(ToParameters()).Query;

    public bool IsFiltered => Q is not null || Creator is not null || Env is not null || Status is not null
        || Access is not null || Used is not null || Expires is not null || Created is not null || UnusedScopes
        || CreatorStatus is not null || Writes || BreaksPolicy;

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
            ["used"] = Used,
            ["expires"] = Expires,
            ["created"] = Created,
            ["unusedScopes"] = UnusedScopes ? "true" : null,
            ["creatorStatus"] = CreatorStatus,
            ["writes"] = Writes ? "true" : null,
            ["breaksPolicy"] = BreaksPolicy ? "true" : null,
            ["sort"] = Sort,
            ["page"] = (page ?? Page) is var p && p > 1 ? p.ToString(CultureInfo.InvariantCulture) : null,
        };
        return QueryHelpers.AddQueryString(Path, query.Where(pair => pair.Value is not null));
    }
}

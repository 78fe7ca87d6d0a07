using System.Globalization;
using DiversitySync.Portal.Staff;
using Microsoft.AspNetCore.WebUtilities;

namespace DiversitySync.Portal.Components.Users;

/// <summary>
/// The Users page's state in the query string: <c>q</c>, <c>status</c>, <c>page</c>. Unknown values are ignored.
/// </summary>
public sealed record UserListState(string? Q = null, StaffStatus? Status = null, int Page = 1)
{
    public const string Path = "/admin/users";

    public static UserListState Parse(string? q, string? status, string? page)
    {
        q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (q?.Length > StaffQuery.SearchMaxLength) q = q[..StaffQuery.SearchMaxLength];
        return new(
            q,
            StaffStatuses.TryParse(status, out var parsed) ? parsed : null,
            Paging.PageFrom(page));
    }

    public StaffQuery ToQuery() => new(Q, Status, Page);

    public string ToUrl()
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Q,
            ["status"] = Status?.ToCode(),
            ["page"] = Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null,
        };
        return QueryHelpers.AddQueryString(Path, query.Where(pair => pair.Value is not null));
    }
}

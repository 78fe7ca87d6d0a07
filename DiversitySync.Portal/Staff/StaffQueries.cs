using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// A staff member as the Users page and /v1/staff show them. No password, stamp or authenticator key.
/// </summary>
public sealed record StaffView(
    string Id, string DisplayName, string Email, StaffStatus Status, IReadOnlyList<string> Roles,
    IReadOnlyList<string> Permissions,
    int ActiveKeys, bool MfaEnabled, DateTime CreatedAt, DateTime? ArchivedAt);

/// <param name="ById">Order by id rather than name: for a caller that may not see names, which then decide nothing it
/// is served.</param>
public sealed record StaffQuery(string? Search = null, StaffStatus? Status = null, int Page = 1,
    int PageSize = StaffQuery.DefaultPageSize, bool ById = false)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int SearchMaxLength = 100;
}

/// <summary>A role for pickers and lists: what it grants and how many people hold it.</summary>
/// <param name="CannotGrant">Why the reader may not give this role to anyone; null when they may.</param>
public sealed record RoleView(string Name, string Label, string? Description, bool IsBuiltIn,
    IReadOnlyList<string> Permissions, int Members, string? CannotGrant);

/// <summary>Reads staff and roles (read:users); a staff member may always read their own account.</summary>
public sealed class StaffQueries(PortalDbContext db, ActorAccess access, StaffPermissions permissions,
    TimeProvider time)
{
    public async Task<Outcome<StaffView>> GetAsync(Actor actor, string staffId,
        CancellationToken cancellationToken = default)
    {
        var own = actor.Type == Actor.StaffType && actor.Id == staffId;
        var refused = own
            ? await access.CurrentAsync(db, actor, cancellationToken) is null ? Refusal.NoStanding : null
            : await access.CheckAsync(db, actor, ScopeCatalog.ReadUsers, cancellationToken);
        if (refused is not null) return refused;
        return await ViewAsync(staffId, cancellationToken) is { } view ? view : NoSuchStaff;
    }

    /// <summary>Staff by name, searched by name or email, optionally of one status.</summary>
    public async Task<Outcome<Paged<StaffView>>> SearchAsync(Actor actor, StaffQuery query,
        CancellationToken cancellationToken = default)
    {
        if (await access.CheckAsync(db, actor, ScopeCatalog.ReadUsers, cancellationToken) is { } refused)
        {
            return refused;
        }
        var staff = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = SqlLike.Contains(query.Search.Trim());
            staff = db.LikeIsCaseSensitive()
                ? staff.Where(s => EF.Functions.ILike(s.DisplayName, term, SqlLike.Escape)
                    || EF.Functions.ILike(s.Email!, term, SqlLike.Escape))
                : staff.Where(s => EF.Functions.Like(s.DisplayName, term, SqlLike.Escape)
                    || EF.Functions.Like(s.Email!, term, SqlLike.Escape));
        }
        if (query.Status is { } status) staff = staff.Where(s => s.Status == status);
        var total = await staff.CountAsync(cancellationToken);
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, StaffQuery.MaxPageSize);
        var ordered = query.ById ? staff.OrderBy(s => s.Id) : staff.OrderBy(s => s.DisplayName).ThenBy(s => s.Id);
        var items = await ViewsAsync(ordered.Skip(Paging.Skip(page, size)).Take(size), cancellationToken);
        return new Paged<StaffView>(items, total, page, size);
    }

    /// <summary>
    /// What <paramref name="actor"/> may do to each of these accounts now, for the screens that offer it.
    /// </summary>
    public async Task<Outcome<IReadOnlyDictionary<string, IReadOnlyList<StaffAction>>>> OfferedAsync(
        Actor actor, IEnumerable<StaffView> staff, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(db, actor, ScopeCatalog.ReadUsers, cancellationToken);
        if (allowed.Value is not { } viewer) return allowed.Refusal!;
        return Outcome<IReadOnlyDictionary<string, IReadOnlyList<StaffAction>>>.Of(
            staff.ToDictionary(s => s.Id, s => StaffRules.Offered(viewer, StaffTarget.Of(s))));
    }

    /// <summary>
    /// Every role with its permissions and holders, and whether the actor may give it (null) or why not.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<RoleView>>> RolesAsync(Actor actor,
        CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(db, actor, ScopeCatalog.ReadUsers, cancellationToken);
        if (allowed.Value is not { } viewer) return allowed.Refusal!;
        var members = await db.UserRoles.GroupBy(ur => ur.RoleId).Select(g => new
        {
            g.Key,
            Count = g.Count()
        }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var roles = await db.Roles.AsNoTracking().ToListAsync(cancellationToken);
        return Outcome<IReadOnlyList<RoleView>>.Of([.. roles
            .OrderBy(r => r.IsBuiltIn ? StaffRole.BuiltInNames.ToList().IndexOf(r.Name!) : StaffRole.BuiltInNames.Count)
            .ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => new RoleView(r.Name!, StaffRole.LabelOf(r.Name!), r.Description, r.IsBuiltIn,
                permissions.Catalog.Order(r.PermissionsOf(permissions.Catalog)), members.GetValueOrDefault(r.Id),
                StaffRules.CheckGrant(viewer, r.Name!, r.PermissionsOf(permissions.Catalog))?.Message))]);
    }

    internal static Refusal NoSuchStaff { get; } = Refusal.NotFound("There is no such staff member.");

    /// <summary>For the services that have checked their actor: the account as it is now.</summary>
    internal async Task<StaffView?> ViewAsync(string staffId, CancellationToken cancellationToken = default)
    {
        if (staffId.Length > 64) return null;
        var views = await ViewsAsync(db.Users.Where(s => s.Id == staffId), cancellationToken);
        return views.SingleOrDefault();
    }

    private async Task<IReadOnlyList<StaffView>> ViewsAsync(IQueryable<StaffMember> staff,
        CancellationToken cancellationToken)
    {
        var live = ApiKey.LiveAt(time.GetUtcNow().UtcDateTime);
        var rows = await staff.Select(s => new
        {
            s.Id,
            s.DisplayName,
            s.Email,
            s.Status,
            s.TwoFactorEnabled,
            s.CreatedAt,
            s.ArchivedAt,
            Roles = db.UserRoles.Where(ur => ur.UserId == s.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id,
                (_, r) => r.Name!).ToList(),
            ActiveKeys = db.ApiKeys.Where(k => k.CreatedById == s.Id).Count(live),
        }).ToListAsync(cancellationToken);
        var roles = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name!, cancellationToken);
        return [.. rows.Select(s => new StaffView(
            s.Id, s.DisplayName, s.Email ?? "", s.Status, [.. s.Roles.Order(StringComparer.Ordinal)],
            permissions.Catalog.Order(s.Roles.SelectMany(r => roles.TryGetValue(r,
                out var role) ? role.PermissionsOf(permissions.Catalog) : [])),
            s.ActiveKeys, s.TwoFactorEnabled, s.CreatedAt, s.ArchivedAt))];
    }
}

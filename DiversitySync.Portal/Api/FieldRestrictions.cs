using System.Text.Json;
using System.Text.Json.Nodes;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Tokens;

namespace DiversitySync.Portal.Api;

/// <summary>
/// /v1's half of a key's field limits: a limited key is served only its fields of a resource (plus the
/// identifiers), and asking to sort or filter by a field it cannot see is a 403 naming the field: otherwise a
/// filter would answer, row by row, what the field holds. Keys not limited on a resource pass untouched.
/// </summary>
public static class FieldRestrictions
{
    /// <summary>Always served: what the rows are told apart by.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Identifiers = new Dictionary<string, string[]>
    {
        [ScopeCatalog.Resources.ApiKeys] = ["keyId", "displayId"],
        [ScopeCatalog.Resources.Staff] = ["id"],
        [ScopeCatalog.Resources.Audit] = ["id"],
    };

    /// <summary>
    /// Where one resource embeds another: a key's creator is a staff member, served as <c>{id, displayName}</c>.
    /// </summary>
    private static readonly Dictionary<string, (string Property, string Resource)[]> Embeds = new()
    {
        [ScopeCatalog.Resources.ApiKeys] = [("createdBy", ScopeCatalog.Resources.Staff)],
    };

    /// <summary>A field's JSON property is the field in camelCase (created_at → createdAt), except these.</summary>
    private static readonly Dictionary<(string Resource, string Field), string> Renamed = new()
    {
        [(ScopeCatalog.Resources.Staff, "name")] = "displayName",
    };

    public static string JsonName(string resource, string field) =>
        Renamed.GetValueOrDefault((resource, field)) ?? JsonNamingPolicy.CamelCase.ConvertName(ToPascal(field));

    private static string ToPascal(string field) =>
        string.Concat(field.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>
    /// The fields of <paramref name="resource"/> the calling key is limited to; null when it sees them all.
    /// </summary>
    public static IReadOnlyList<string>? VisibleFields(this HttpContext http,
        string resource) => http.KeyFields().For(resource);

    /// <summary>
    /// Declares on a route group the resource each of its endpoints serves: a limited key is served it cut down to
    /// its fields (the answer itself, each of its <c>items</c>, or the property an endpoint names with
    /// <see cref="ServedAt"/>), and every resource embedded in it (a key's creator: id only for a key that may not see
    /// staff names). On the group, so a new endpoint cannot forget it; its status and headers stay the inner answer's.
    /// </summary>
    public static RouteGroupBuilder ServesResource(this RouteGroupBuilder group, string resource) =>
        group.WithMetadata(new ServedResource(resource)).AddEndpointFilter(LimitFieldsAsync);

    /// <summary>
    /// Where in this endpoint's answer the resource is, when not the answer or its items (<c>apiKey</c>, <c>staff</c>).
    /// </summary>
    public static TBuilder ServedAt<TBuilder>(this TBuilder builder,
        string property) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ServedProperty(property));

    /// <summary>
    /// The fields this endpoint's request sorts or filters by: a limited key asking by a hidden one is refused.
    /// </summary>
    public static TBuilder FilteredBy<TBuilder>(this TBuilder builder,
        Func<HttpRequest, IEnumerable<string>> fields) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FilteringFields(fields));

    /// <summary>
    /// This endpoint answers with something derived from these fields of its resource (a key's usage from its use
    /// and scopes), not the resource itself: a limited key must see them all, and the answer is served whole.
    /// </summary>
    public static TBuilder DerivedFrom<TBuilder>(this TBuilder builder,
        params string[] fields) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DerivedFields(fields));

    public sealed record ServedResource(string Resource);

    private sealed record DerivedFields(string[] Fields);

    private sealed record ServedProperty(string Property);

    private sealed record FilteringFields(Func<HttpRequest, IEnumerable<string>> Fields);

    private static async ValueTask<object?> LimitFieldsAsync(EndpointFilterInvocationContext context,
        EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var metadata = http.GetEndpoint()!.Metadata;
        var resource = metadata.GetMetadata<ServedResource>()!.Resource;
        var limits = http.KeyFields();
        if (!Involved(resource).Any(r => limits.For(r) is not null)) return await next(context);
        var derived = metadata.GetMetadata<DerivedFields>()?.Fields;
        if (limits.For(resource) is { } visible
            && (metadata.GetMetadata<FilteringFields>()?.Fields(http.Request) ?? []).Concat(derived ?? [])
                .FirstOrDefault(f => !visible.Contains(f)) is { } hidden)
        {
            return Hidden(http, resource, hidden);
        }
        if (derived is not null) return await next(context);
        var at = metadata.GetMetadata<ServedProperty>()?.Property;
        var answer = await next(context);
        // Only answers that carry a value are cut (Results<Ok<T>, …> wraps the one it chose); a streamed export
        // chooses its columns itself and is never buffered.
        var carriesValue = (answer is INestedHttpResult nested ? nested.Result : answer) is IValueHttpResult { Value: not null };
        return answer is IResult result && carriesValue
            ? new FieldLimitedResult(result, json =>
            {
                foreach (var item in Items(json, at)) Cut(item, resource, limits);
            })
            : answer;
    }

    /// <summary>
    /// Runs the endpoint's own answer into a buffer, then serves its JSON cut down: its status, Location, caching
    /// and every other header stay as the answer set them. Anything but a successful JSON answer passes as it is.
    /// </summary>
    private sealed class FieldLimitedResult(IResult inner, Action<JsonNode> cut) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var body = http.Response.Body;
            using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try
            {
                await inner.ExecuteAsync(http);
            }
            finally
            {
                http.Response.Body = body;
            }
            buffer.Position = 0;
            var isJson = http.Response.ContentType?.StartsWith("application/json",
                StringComparison.OrdinalIgnoreCase) == true;
            if (http.Response.StatusCode is < 200 or >= 300 || !isJson || buffer.Length == 0)
            {
                await buffer.CopyToAsync(body, http.RequestAborted);
                return;
            }
            var json = (await JsonNode.ParseAsync(buffer, cancellationToken: http.RequestAborted))!;
            cut(json);
            http.Response.ContentLength = null;
            await using var writer = new Utf8JsonWriter(body);
            json.WriteTo(writer);
        }
    }

    private static IEnumerable<string> Involved(string resource) => [resource,
        .. (Embeds.GetValueOrDefault(resource) ?? []).Select(e => e.Resource)];

    /// <summary>Keeps a resource's identifiers and the fields the caller sees, in it and in what it embeds.</summary>
    private static void Cut(JsonObject item, string resource, KeyFields limits)
    {
        if (limits.For(resource) is { } visible)
        {
            var keep = Kept(resource, visible);
            foreach (var name in item.Select(p => p.Key).Where(name => !keep.Contains(name)).ToList())
            {
                item.Remove(name);
            }
        }
        foreach (var (property, embedded) in Embeds.GetValueOrDefault(resource) ?? [])
        {
            if (item[property] is JsonObject inner) Cut(inner, embedded, limits);
        }
    }

    /// <summary>
    /// The identifiers and the visible fields as JSON names. A key's displayId spells its environment, so it goes with
    /// it.
    /// </summary>
    private static HashSet<string> Kept(string resource, IReadOnlyList<string> visible) =>
        Identifiers[resource].Where(id => id != "displayId" || visible.Contains("environment"))
            .Concat(visible.Select(f => JsonName(resource, f))).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether the calling key may see this field of this resource.</summary>
    public static bool Sees(this HttpContext http, string resource, string field) => http.KeyFields().Allows(resource,
        field);

    /// <summary>The columns of an export that the caller may see: identifiers and its visible fields.</summary>
    /// <remarks>A key's display_id spells its environment: it goes with that field, as in JSON.</remarks>
    public static IReadOnlyList<CsvColumn<T>> VisibleColumns<T>(this HttpContext http, string resource,
        IReadOnlyList<CsvColumn<T>> columns, int identifiers) =>
        http.VisibleFields(resource) is { } visible
            ? [.. columns.Where((c, i) => (i < identifiers
                && (c.Name != "display_id" || visible.Contains("environment"))) || visible.Contains(c.Name))]
            : columns;

    private static IEnumerable<JsonObject> Items(JsonNode json, string? at) => at is not null
        ? json[at] is JsonObject inner ? [inner] : []
        : json["items"] is JsonArray items ? items.OfType<JsonObject>() : json is JsonObject item ? [item] : [];

    private static IResult Hidden(HttpContext http, string resource, string field)
    {
        var services = http.RequestServices;
        var label = services.GetRequiredService<ScopeCatalog>().FieldsOf(resource)?.Label ?? resource;
        services.GetRequiredService<AuditQueue>().Enqueue(AuditLog.Event(ApiActor.Of(http),
            AuditActions.AuthorizationDenied,
            services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, AuditTargets.Key, http.User.KeyId(),
            $"hidden field {resource}.{field} for {http.Request.Method} {http.Request.Path}"));
        return TypedResults.Problem(
            $"This key cannot see the {field} field of {label}, so it cannot sort or filter by it or read what is " +
            "derived from it.",
            statusCode: StatusCodes.Status403Forbidden, title: "Field not visible to this key",
            extensions: new Dictionary<string, object?> { ["field"] = field, ["resource"] = resource });
    }

    /// <summary>Which of a request's query parameters read which fields, for <see cref="FilteredBy"/>.</summary>
    public static Func<HttpRequest, IEnumerable<string>> Parameters(params (string Parameter,
        string[] Fields)[] uses) =>
        request => uses.Where(u => request.Query.ContainsKey(u.Parameter)).SelectMany(u => u.Fields);
}

namespace DiversitySync.Portal.Keys;

/// <summary>
/// The checks on a create request that need no database: field by field, with messages people can act on.
/// </summary>
public sealed partial class ApiKeyService
{
    private Dictionary<string, List<string>> Validate(NewApiKeyRequest request, DateTime now, out string name,
        out ApiKeyEnvironment environment, out IReadOnlyList<string> scopes, out KeyFields fields,
        out IpAllowlist? allowedIps)
    {
        var errors = new Dictionary<string, List<string>>();
        name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            Add(errors, "name", "Enter a name for the key.");
        }
        else if (name.Length > ApiKey.NameMaxLength)
        {
            Add(errors, "name", $"The name can be at most {ApiKey.NameMaxLength} characters.");
        }
        else if (name.Any(char.IsControl))
        {
            Add(errors, "name", "The name cannot contain control characters.");
        }

        var description = request.Description ?? "";
        if (description.Length > ApiKey.DescriptionMaxLength)
        {
            Add(errors, "description", $"The description can be at most {ApiKey.DescriptionMaxLength} characters.");
        }
        else if (description.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            Add(errors, "description", "The description cannot contain control characters.");
        }

        if (!ApiKeyEnvironments.TryParse(request.Environment, out environment))
        {
            Add(errors, "environment", "Choose the environment: live or test.");
        }

        var requested = (request.Scopes ?? []).Select(s => s?.Trim()
            ?? "").Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (requested.Count == 0) Add(errors, "scopes", "Choose at least one scope.");
        foreach (var unknown in requested.Where(s => !catalog.Contains(s)).Take(5))
        {
            Add(errors, "scopes", $"Unknown scope: {EchoedInput.Clean(unknown, 60)}.");
        }
        scopes = catalog.Order(requested);
        fields = ValidateFields(request.Fields, scopes, errors);

        if (ExpiryProblem(request.ExpiresAt, now) is { } expiryProblem) Add(errors, "expiresAt", expiryProblem);
        allowedIps = AllowedIps(request.AllowedIps, errors);
        return errors;
    }

    /// <summary>
    /// How changing one setting of a stored key (its expiry or its allowlist) to what is given would break the key
    /// policy (K-12), as a refusal naming <paramref name="field"/>; null: it keeps it.
    /// </summary>
    private async Task<Refusal?> PolicyRefusalAsync(string field, ApiKeyEnvironment environment, DateTime createdAt,
        DateTime? expiresAt, bool holdsWriteScope, IpAllowlist? allowedIps, CancellationToken cancellationToken)
    {
        var policy = await KeyPolicyService.CurrentAsync(db, cancellationToken);
        List<string> breaches = [.. policy.Breaches(environment, createdAt, expiresAt, holdsWriteScope, allowedIps)
            .Where(b => b.Field == field).Select(b => b.Message)];
        return breaches.Count == 0 ? null : Refusal.Invalid(new Dictionary<string, List<string>> { [field] = breaches });
    }

    /// <summary>The key's IP allowlist, its problems under "allowedIps"; null: anywhere.</summary>
    private static IpAllowlist? AllowedIps(IReadOnlyList<string>? entries, Dictionary<string, List<string>> errors)
    {
        var (list, problems) = IpAllowlist.Parse(entries);
        foreach (var problem in problems) Add(errors, "allowedIps", problem);
        return list;
    }

    /// <summary>What is wrong with an expiry date, for a new key and a changed one alike; null: never, or fine.</summary>
    private static string? ExpiryProblem(DateTime? expiresAt, DateTime now) => expiresAt is not { } at ? null
        : AsUtc(at) <= now ? "The expiry date must be in the future."
        : AsUtc(at) > now + MaxLifetime
            ? "The expiry date can be at most ten years ahead; choose Never for a key that does not expire."
            : null;

    /// <summary>
    /// Each limited resource must declare fields, be one the key holds a scope on, and list at least one field, all
    /// of them its own. A resource the request does not name stays unrestricted.
    /// </summary>
    private KeyFields ValidateFields(IReadOnlyDictionary<string, IReadOnlyList<string>>? requested,
        IReadOnlyList<string> scopes, Dictionary<string, List<string>> errors)
    {
        var limited = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (requested?.Count > catalog.Rows.Count)
        {
            Add(errors, "fields", $"Name at most the {catalog.Rows.Count} resources of the catalog.");
            return KeyFields.Unrestricted;
        }
        foreach (var (name, chosen) in requested ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (catalog.FieldsOf(name) is not { } resource)
            {
                Add(errors, "fields", $"{EchoedInput.Clean(name, 60)} has no fields to limit a key to.");
                continue;
            }
            var wanted = (chosen ?? []).Select(f => f?.Trim()
                ?? "").Where(f => f.Length > 0).ToHashSet(StringComparer.Ordinal);
            if (wanted.Count == 0)
            {
                Add(errors, "fields", $"Choose at least one field of {resource.Label}, or leave it at all fields.");
            }
            foreach (var unknown in wanted.Where(f => !resource.Fields.Contains(f)).Take(5))
            {
                Add(errors, "fields", $"{resource.Label} has no field {EchoedInput.Clean(unknown, 60)}.");
            }
            if (!resource.Scopes.Any(s => scopes.Contains(s.Name)))
            {
                Add(errors, "fields",
                    $"The key holds no scope on {resource.Label}, so there are no fields of it to limit.");
            }
            limited[name] = [.. resource.Fields.Where(wanted.Contains)];
        }
        var fields = KeyFields.Of(catalog.Rows.Where(r => limited.ContainsKey(r.Name))
            .Select(r => KeyValuePair.Create(r.Name, limited[r.Name])));
        if (fields.ToJson()?.Length > ApiKey.FieldsMaxLength)
        {
            Add(errors, "fields", "Too many fields chosen: leave a resource at all fields instead.");
        }
        return fields;
    }

    /// <summary>
    /// Fields are limited only by someone who can read the resource; and a key creating a key passes on its own
    /// limits: the new key sees no field the calling key cannot.
    /// </summary>
    private void CheckFieldCeiling(KeyFields fields, IReadOnlyList<string> scopes, IReadOnlySet<string> ownerHolds,
        Actor actor, Dictionary<string, List<string>> errors)
    {
        foreach (var name in fields.ByResource.Keys)
        {
            var resource = catalog.FieldsOf(name)!;
            if (!ownerHolds.Contains(resource.ReadScope!))
            {
                Add(errors, "fields",
                    $"You cannot choose fields of {resource.Label}: you do not hold {resource.ReadScope}.");
            }
        }
        foreach (var (name, visible) in actor.TokenFields?.ByResource
            ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (catalog.FieldsOf(name) is not { } resource || !resource.Scopes.Any(s => scopes.Contains(s.Name)))
            {
                continue;
            }
            if (fields.For(name) is not { } chosen || chosen.Any(f => !visible.Contains(f)))
            {
                Add(errors, "fields",
                    $"The calling key sees only {string.Join(", ", visible)} of {resource.Label}: limit the new key " +
                    $"to those.");
            }
        }
    }

    /// <summary>A time without a zone is taken as UTC, the zone everything here is stored in.</summary>
    internal static DateTime AsUtc(DateTime value) =>
        value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value,
            DateTimeKind.Utc) : value.ToUniversalTime();

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(message);
    }
}

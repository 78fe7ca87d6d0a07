namespace DiversitySync.Portal.Keys;

/// <summary>The checks on a create request that need no database: field by field, with messages people can act on.</summary>
public sealed partial class ApiKeyService
{
    private Dictionary<string, List<string>> Validate(NewApiKeyRequest request, DateTime now, out string name, out ApiKeyEnvironment environment, out IReadOnlyList<string> scopes)
    {
        var errors = new Dictionary<string, List<string>>();
        name = request.Name?.Trim() ?? "";
        if (name.Length == 0) Add(errors, "name", "Enter a name for the key.");
        else if (name.Length > ApiKey.NameMaxLength) Add(errors, "name", $"The name can be at most {ApiKey.NameMaxLength} characters.");
        else if (name.Any(char.IsControl)) Add(errors, "name", "The name cannot contain control characters.");

        var description = request.Description ?? "";
        if (description.Length > ApiKey.DescriptionMaxLength) Add(errors, "description", $"The description can be at most {ApiKey.DescriptionMaxLength} characters.");
        else if (description.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) Add(errors, "description", "The description cannot contain control characters.");

        if (!ApiKeyEnvironments.TryParse(request.Environment, out environment)) Add(errors, "environment", "Choose the environment: live or test.");

        var requested = (request.Scopes ?? []).Select(s => s?.Trim() ?? "").Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (requested.Count == 0) Add(errors, "scopes", "Choose at least one scope.");
        foreach (var unknown in requested.Where(s => !catalog.Contains(s)).Take(5))
        {
            Add(errors, "scopes", $"Unknown scope: {Clean(unknown, 60)}.");
        }
        scopes = catalog.Order(requested);

        if (request.ExpiresAt is { } expiresAt)
        {
            var utc = AsUtc(expiresAt);
            if (utc <= now) Add(errors, "expiresAt", "The expiry date must be in the future.");
            else if (utc > now + MaxLifetime) Add(errors, "expiresAt", "The expiry date can be at most ten years ahead; choose Never for a key that does not expire.");
        }
        return errors;
    }

    /// <summary>A time without a zone is taken as UTC, the zone everything here is stored in.</summary>
    private static DateTime AsUtc(DateTime value) =>
        value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Echoed input is shortened and stripped of control characters.</summary>
    private static string Clean(string value, int length)
    {
        var clean = string.Concat(value.Where(c => !char.IsControl(c)));
        return clean.Length <= length ? clean : clean[..length] + "…";
    }
}

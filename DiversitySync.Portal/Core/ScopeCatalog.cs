using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Core;

/// <summary>
/// A permission, <c>verb:resource</c>: what a staff member may do, what a key may carry, what a /v1 endpoint requires.
/// </summary>
public sealed record Scope(string Name, string Description, string Group)
{
    /// <summary>"read", "write", "create", "update", "delete" or "download": the code shown beside the scope.</summary>
    public string Verb => VerbOf(Name);

    public string Resource => Name[(Name.IndexOf(':') + 1)..];

    public bool IsRead => Verb == ScopeVerbs.Read;

    public static string VerbOf(string name) => name[..name.IndexOf(':')];

    /// <summary>Space-delimited scopes, as a key stores them and a token's scope claim carries them.</summary>
    public static FrozenSet<string> SetOf(string scopes) => scopes.Split(' ',
        StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}

public static class ScopeVerbs
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Download = "download";

    /// <summary>In the order the drawer shows them.</summary>
    public static readonly IReadOnlyList<string> All = ["create", Read, "update", "delete", Download, Write];

    /// <summary>Whether any of <paramref name="scopes"/> is a write: scope.</summary>
    public static bool HoldsWrite(IEnumerable<string> scopes) =>
        scopes.Any(s => s.StartsWith(Write + ":", StringComparison.Ordinal));

    public static string Describe(string verb, string label) => verb switch
    {
        Read => $"Read {label}",
        Download => $"Download {label} as CSV",
        Write => $"Change {label}",
        _ => $"{char.ToUpperInvariant(verb[0])}{verb[1..]} {label}",
    };
}

/// <summary>
/// One row of the drawer: a resource, the scopes (verbs) on it, and the fields a key can be limited to. A key
/// limited to some fields of a resource sees only those (plus identifiers) wherever the resource is served.
/// </summary>
public sealed record ScopeResource(string Name, string Label, IReadOnlyList<Scope> Scopes, IReadOnlyList<string> Fields)
{
    /// <summary>
    /// The scope that reads this resource: a key can be limited to its fields only by someone who holds it.
    /// </summary>
    public string? ReadScope { get; } = Scopes.FirstOrDefault(s => s.IsRead)?.Name;

    public bool HasFields => Fields.Count > 0;

    /// <summary>
    /// How a verb toggle reads in this row: the verb, or "write invites" for a scope on a part of the resource.
    /// </summary>
    public string ToggleLabel(Scope scope) =>
        scope.Resource == (Scopes.FirstOrDefault(s => s.IsRead)
            ?? Scopes[0]).Resource ? scope.Verb : $"{scope.Verb} {scope.Resource.Replace('_', ' ')}";
}

/// <summary>One catalog drives the drawer, staff permissions, token scopes and /v1 policies.</summary>
public sealed partial class ScopeCatalog
{
    public const string ReadApiKeys = "read:api_keys";
    public const string WriteApiKeys = "write:api_keys";
    public const string DownloadApiKeys = "download:api_keys";
    public const string ReadUsers = "read:users";
    public const string WriteInvites = "write:invites";
    public const string WriteRoles = "write:roles";
    public const string WriteUserArchive = "write:user_archive";
    public const string WriteUserBlocks = "write:user_blocks";
    public const string WriteUserPasswords = "write:user_passwords";
    public const string WriteUserMfa = "write:user_mfa";
    public const string ReadAudit = "read:audit";
    public const string DownloadAudit = "download:audit";
    public const string ReadWebhooks = "read:webhooks";
    public const string WriteWebhooks = "write:webhooks";
    public const string ReadTokens = "read:tokens";
    public const string ReadSettings = "read:settings";
    public const string WriteSettings = "write:settings";

    /// <summary>The resources /v1 serves, by the names their field restrictions use.</summary>
    public static class Resources
    {
        public const string ApiKeys = "api_keys";
        public const string Staff = "staff";
        public const string Audit = "audit";
    }

    public static readonly IReadOnlyList<ScopeResource> BuiltInRows =
    [
        new(Resources.ApiKeys, "API keys",
        [
            new(ReadApiKeys, "View organisation API keys", "API keys"),
            new(WriteApiKeys, "Create and revoke organisation API keys", "API keys"),
            new(DownloadApiKeys, "Download the organisation's API key list as CSV", "API keys"),
        ],
        [
            "name", "description", "environment", "status", "access", "scopes", "fields", "created_at", "created_by", "expires_at",
            "revoked_at", "revoked_by", "revocation_reason", "last_used_at", "last_used_ip", "last_used_user_agent",
            "last_used_for", "replaced_by_key_id", "replaces_key_id", "allowed_ips",
        ]),
        new(Resources.Staff, "Users",
        [
            new(ReadUsers, "View the users tab in the admin panel", "Users"),
            new(WriteInvites, "Create invites for new users", "Users"),
            new(WriteRoles, "Add or remove users from roles", "Users"),
            new(WriteUserArchive, "Archive or un-archive users", "Users"),
            new(WriteUserBlocks, "Block or un-block users", "Users"),
            new(WriteUserPasswords, "Reset users passwords", "Users"),
            new(WriteUserMfa, "Reset users multi-factor authentication", "Users"),
        ],
        ["name", "email", "status", "roles", "permissions", "active_keys", "mfa_enabled", "created_at", "archived_at"]),
        new(Resources.Audit, "Audit log",
        [
            new(ReadAudit, "View the audit log", "Audit log"),
            new(DownloadAudit, "Download the audit log as CSV", "Audit log"),
        ],
        ["occurred_at", "action", "actor_type", "actor_id", "actor_name", "target_type", "target_id", "client_ip",
            "detail", "correlation_id"]),
        new("webhooks", "Webhooks",
        [
            new(ReadWebhooks, "View webhook endpoints and their delivery logs", "Webhooks"),
            new(WriteWebhooks, "Add, change and delete webhook endpoints; reveal and rotate the API shared secret",
                "Webhooks"),
        ], []),
        new("tokens", "Access tokens",
        [
            new(ReadTokens, "Introspect access tokens", "Access tokens"),
        ], []),
        new("settings", "Settings",
        [
            new(ReadSettings, "View the organisation's settings, such as its key policy", "Settings"),
            new(WriteSettings, "Change the organisation's settings, such as its key policy", "Settings"),
        ], []),
    ];

    public static readonly IReadOnlyList<Scope> BuiltIn = [.. BuiltInRows.SelectMany(r => r.Scopes)];

    /// <summary>RFC 6749 §3.3 allows more; ours are always a verb, a colon and a lower-case resource.</summary>
    [GeneratedRegex("^(read|write|create|update|delete|download):[a-z][a-z0-9_]{0,47}$")]
    private static partial Regex ScopeName();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,47}$")]
    private static partial Regex Identifier();

    public const int MaxFieldsPerResource = 200;

    public ScopeCatalog(IOptions<ScopeOptions> options)
    {
        Rows = Build(options.Value, []);
        All = [.. Rows.SelectMany(r => r.Scopes)];
        byName = All.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        byResource = Rows.Where(r => r.HasFields).ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);
    }

    private readonly FrozenDictionary<string, Scope> byName;
    private readonly FrozenDictionary<string, ScopeResource> byResource;

    public IReadOnlyList<Scope> All { get; }

    /// <summary>The drawer's rows, built-in first, in the order configured.</summary>
    public IReadOnlyList<ScopeResource> Rows { get; }

    public bool Contains(string name) => byName.ContainsKey(name);

    public Scope? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>A resource that declares fields, by the name its field restrictions use.</summary>
    public ScopeResource? FieldsOf(string resource) => byResource.GetValueOrDefault(resource);

    /// <summary>Keeps the catalog's order, so scope strings read the same everywhere.</summary>
    public IReadOnlyList<string> Order(IEnumerable<string> names)
    {
        var wanted = names as IReadOnlySet<string> ?? names.ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(s => wanted.Contains(s.Name)).Select(s => s.Name)];
    }

    public static bool IsWellFormed(string name) => ScopeName().IsMatch(name);

    /// <summary>Start-up validation of <c>Scopes:Custom</c>: a bad catalog must stop the app, not half-work.</summary>
    public static ValidateOptionsResult Validate(ScopeOptions options)
    {
        var errors = new List<string>();
        Build(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// The built-in rows, then one per configured resource or group of single scopes; problems go to <paramref
    /// name="errors"/>.
    /// </summary>
    private static List<ScopeResource> Build(ScopeOptions options, List<string> errors)
    {
        var rows = BuiltInRows.ToList();
        var scopeNames = BuiltIn.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var resourceNames = BuiltInRows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var singles = new List<Scope>();
        for (var i = 0; i < options.Custom.Count; i++)
        {
            var entry = options.Custom[i];
            var where = $"Scopes:Custom[{i}] ({entry.Resource ?? entry.Name ?? "unnamed"})";
            if (entry.Resource is not null) AddResource(entry, where);
            else AddSingle(entry, where);
        }
        foreach (var group in singles.GroupBy(s => s.Group))
        {
            rows.Add(new ScopeResource(group.First().Resource, group.Key, [.. group], []));
        }
        return rows;

        void AddSingle(ScopeOptions.CustomScope entry, string where)
        {
            var name = entry.Name ?? "";
            var before = errors.Count;
            if (entry.Verbs is not null || entry.Fields is not null || entry.Label is not null)
            {
                errors.Add($"{where}: Verbs, Fields and Label belong to a resource entry; give it a Resource.");
            }
            if (!IsWellFormed(name))
            {
                errors.Add($"{where}: the name must look like verb:resource with a verb of " +
                    $"{string.Join(", ", ScopeVerbs.All)} and a resource of lower-case letters, digits and _.");
            }
            else if (!scopeNames.Add(name))
            {
                errors.Add($"{where}: {name} is listed twice or is built in.");
            }

            if (string.IsNullOrWhiteSpace(entry.Description) || entry.Description.Length > 200)
            {
                errors.Add($"{where}: it needs a description of at most 200 characters.");
            }
            if (errors.Count == before)
            {
                singles.Add(new Scope(name, entry.Description!, entry.Group
                    ?? LabelOf(name[(name.IndexOf(':') + 1)..])));
            }
        }

        void AddResource(ScopeOptions.CustomScope entry, string where)
        {
            var resource = entry.Resource!;
            var before = errors.Count;
            if (entry.Name is not null || entry.Group is not null)
            {
                errors.Add($"{where}: Name and Group belong to a single-scope entry; a resource entry has Resource, " +
                    $"Label, Verbs and Fields.");
            }
            if (!Identifier().IsMatch(resource))
            {
                errors.Add($"{where}: the resource must be lower-case letters, digits and _, starting with a letter.");
            }
            else if (!resourceNames.Add(resource))
            {
                errors.Add($"{where}: the resource {resource} is declared twice or is built in.");
            }
            var label = string.IsNullOrWhiteSpace(entry.Label) ? LabelOf(resource) : entry.Label.Trim();
            if (label.Length > 60) errors.Add($"{where}: the label can be at most 60 characters.");

            var verbs = entry.Verbs ?? [];
            if (verbs.Count == 0) errors.Add($"{where}: list its verbs, from {string.Join(", ", ScopeVerbs.All)}.");
            foreach (var verb in verbs.Where(v => !ScopeVerbs.All.Contains(v)))
            {
                errors.Add($"{where}: unknown verb '{verb}'; verbs are {string.Join(", ", ScopeVerbs.All)}.");
            }
            foreach (var verb in verbs.GroupBy(v => v).Where(g => g.Count() > 1))
            {
                errors.Add($"{where}: the verb {verb.Key} is listed twice.");
            }
            foreach (var (verb, description) in entry.Descriptions ?? [])
            {
                if (!verbs.Contains(verb))
                {
                    errors.Add($"{where}: Descriptions names {verb}, which is not one of its verbs.");
                }
                else if (string.IsNullOrWhiteSpace(description) || description.Length > 200)
                {
                    errors.Add($"{where}: the description of {verb} must be 1 to 200 characters.");
                }
            }

            var fields = entry.Fields ?? [];
            foreach (var field in fields.Where(f => !Identifier().IsMatch(f)))
            {
                errors.Add($"{where}: the field '{field}' must be lower-case letters, digits and _, starting with a " +
                    $"letter.");
            }
            foreach (var field in fields.GroupBy(f => f).Where(g => g.Count() > 1))
            {
                errors.Add($"{where}: the field {field.Key} is listed twice.");
            }
            if (fields.Count > MaxFieldsPerResource) errors.Add($"{where}: at most {MaxFieldsPerResource} fields.");
            if (fields.Count > 0 && !verbs.Contains(ScopeVerbs.Read))
            {
                errors.Add($"{where}: a resource with fields needs the read verb: only someone who can read it can " +
                    $"limit a key to some of its fields.");
            }

            var scopes = ScopeVerbs.All.Where(verbs.Contains).Select(verb => new Scope(
                $"{verb}:{resource}", entry.Descriptions?.GetValueOrDefault(verb)
                    ?? ScopeVerbs.Describe(verb, label.ToLowerInvariant()), label)).ToList();
            foreach (var scope in scopes.Where(s => !scopeNames.Add(s.Name)))
            {
                errors.Add($"{where}: {scope.Name} is also listed on its own or is built in.");
            }
            if (errors.Count == before) rows.Add(new ScopeResource(resource, label, scopes, fields));
        }
    }

    private static string LabelOf(string resource)
    {
        var words = resource.Replace('_', ' ');
        return words.Length == 0 ? resource : char.ToUpperInvariant(words[0]) + words[1..];
    }
}

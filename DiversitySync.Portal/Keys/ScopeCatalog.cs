using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Keys;

/// <summary>A permission: what a staff member may do, what a key may carry, what a /v1 endpoint requires.</summary>
public sealed record Scope(string Name, string Description, string Group)
{
    /// <summary>"read" or "write": the code shown next to the scope in the drawer.</summary>
    public string Code => CodeOf(Name);

    public static string CodeOf(string name) => name[..name.IndexOf(':')];
}

public sealed class ScopeOptions
{
    public const string Section = "Scopes";

    /// <summary>The scopes of the organisation's other services, e.g. read:participants.</summary>
    public List<CustomScope> Custom { get; set; } = [];

    public sealed class CustomScope
    {
        public string Name { get; set; } = "";
        public string Description { get; set; } = "";
        /// <summary>Heading in the drawer; defaults to the resource, e.g. "Participants".</summary>
        public string? Group { get; set; }
    }
}

/// <summary>One catalog drives the drawer's checkboxes, staff permissions, token scopes and /v1 policies.</summary>
public sealed partial class ScopeCatalog
{
    public const string ReadApiKeys = "read:api_keys";
    public const string WriteApiKeys = "write:api_keys";
    public const string ReadUsers = "read:users";
    public const string WriteInvites = "write:invites";
    public const string WriteRoles = "write:roles";
    public const string WriteUserArchive = "write:user_archive";
    public const string WriteUserBlocks = "write:user_blocks";
    public const string WriteUserPasswords = "write:user_passwords";
    public const string WriteUserMfa = "write:user_mfa";
    public const string ReadAudit = "read:audit";

    public static readonly IReadOnlyList<Scope> BuiltIn =
    [
        new(ReadApiKeys, "View organisation API keys", "API keys"),
        new(WriteApiKeys, "Create and revoke organisation API keys", "API keys"),
        new(ReadUsers, "View the users tab in the admin panel", "Users"),
        new(WriteInvites, "Create invites for new users", "Users"),
        new(WriteRoles, "Add or remove users from roles", "Users"),
        new(WriteUserArchive, "Archive or un-archive users", "Users"),
        new(WriteUserBlocks, "Block or un-block users", "Users"),
        new(WriteUserPasswords, "Reset users passwords", "Users"),
        new(WriteUserMfa, "Reset users multi-factor authentication", "Users"),
        new(ReadAudit, "View the audit log", "Audit log"),
    ];

    /// <summary>RFC 6749 §3.3 allows more, but ours are always "read:" or "write:" plus a lower-case resource.</summary>
    [GeneratedRegex("^(read|write):[a-z][a-z0-9_]{0,47}$")]
    private static partial Regex ScopeName();

    public ScopeCatalog(IOptions<ScopeOptions> options)
    {
        All = [.. BuiltIn, .. options.Value.Custom.Select(c => new Scope(c.Name, c.Description, c.Group ?? GroupOf(c.Name)))];
        byName = All.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
    }

    private readonly FrozenDictionary<string, Scope> byName;

    public IReadOnlyList<Scope> All { get; }

    public bool Contains(string name) => byName.ContainsKey(name);

    public Scope? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>Keeps the catalog's order, so scope strings read the same everywhere.</summary>
    public IReadOnlyList<string> Order(IEnumerable<string> names)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(s => wanted.Contains(s.Name)).Select(s => s.Name)];
    }

    public static bool IsWellFormed(string name) => ScopeName().IsMatch(name);

    /// <summary>Start-up validation of <c>Scopes:Custom</c>: a bad catalog must stop the app, not half-work.</summary>
    public static ValidateOptionsResult Validate(ScopeOptions options)
    {
        var errors = new List<string>();
        var seen = BuiltIn.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var scope in options.Custom)
        {
            if (!IsWellFormed(scope.Name)) errors.Add($"Scopes:Custom: '{scope.Name}' must look like read:resource or write:resource (lower case, digits, _).");
            else if (!seen.Add(scope.Name)) errors.Add($"Scopes:Custom: '{scope.Name}' is listed twice or is built in.");
            if (string.IsNullOrWhiteSpace(scope.Description) || scope.Description.Length > 200) errors.Add($"Scopes:Custom: '{scope.Name}' needs a description of at most 200 characters.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string GroupOf(string name)
    {
        var resource = name[(name.IndexOf(':') + 1)..].Replace('_', ' ');
        return resource.Length == 0 ? name : char.ToUpperInvariant(resource[0]) + resource[1..];
    }
}

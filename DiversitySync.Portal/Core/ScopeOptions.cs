namespace DiversitySync.Portal.Core;

/// <summary>
/// <c>Scopes:Custom</c>: the scopes of the organisation's other services. Each entry is either one scope
/// (<c>{"Name": "read:participants", "Description": "…"}</c>) or a whole resource with its verbs and fields
/// (<c>{"Resource": "employees", "Label": "Employees", "Verbs": ["read", "download"], "Fields": ["name", …]}</c>).
/// </summary>
public sealed class ScopeOptions
{
    public const string Section = "Scopes";

    public List<CustomScope> Custom { get; set; } = [];

    public sealed class CustomScope
    {
        /// <summary>One scope, e.g. read:participants.</summary>
        public string? Name { get; set; }
        public string? Description { get; set; }
        /// <summary>
        /// For one scope: the drawer's row it goes in; defaults to its resource, e.g. "Participants".
        /// </summary>
        public string? Group { get; set; }

        /// <summary>
        /// A resource declared once, e.g. employees, with <see cref="Verbs"/> and optionally <see cref="Fields"/>.
        /// </summary>
        public string? Resource { get; set; }
        public string? Label { get; set; }
        public List<string>? Verbs { get; set; }
        /// <summary>Fields a key can be limited to; a key not limited sees all of them.</summary>
        public List<string>? Fields { get; set; }
        /// <summary>
        /// Optional descriptions by verb; the default reads "Read employees", "Download employees", ….
        /// </summary>
        public Dictionary<string, string>? Descriptions { get; set; }
    }
}

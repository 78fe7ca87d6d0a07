namespace DiversitySync.Portal.Core;

public enum RefusalKind
{
    NotFound,
    Invalid,
    Forbidden,
    Conflict,
}

/// <summary>
/// Why a service did nothing, in words for the person who asked. Endpoints, pages and the CLI translate the kind
/// (into a status code, a message or an exit code); the services know nothing of HTTP.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Message)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoFields = new Dictionary<string, string[]>();

    /// <summary>For an invalid request: the problems by field name, as a form shows them beside each field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = NoFields;

    /// <summary>The problems by field; the message lists them all, for a caller that shows one line.</summary>
    public static Refusal Invalid(IReadOnlyDictionary<string, List<string>> errors) =>
        new(RefusalKind.Invalid, string.Join(" ", errors.SelectMany(e => e.Value)))
        {
            Errors = errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        };

    public static Refusal NotFound(string message) => new(RefusalKind.NotFound, message);

    public static Refusal Invalid(string message) => new(RefusalKind.Invalid, message);

    public static Refusal Forbidden(string message) => new(RefusalKind.Forbidden, message);

    public static Refusal Conflict(string message) => new(RefusalKind.Conflict, message);

    /// <summary>The actor is no longer an active staff member, or no longer an active key of one.</summary>
    public static Refusal NoStanding { get; } = Forbidden("Your account or key may no longer act: it is blocked, " +
        "archived, revoked or expired.");

    public static Refusal Lacks(string permission) => Forbidden($"This needs the {permission} permission, which you " +
        $"do not hold.");

    /// <summary>
    /// The HTTP status for this refusal: the same for the same reason on /v1, in a download and on a page.
    /// </summary>
    public int StatusCode => Kind switch
    {
        RefusalKind.NotFound => 404,
        RefusalKind.Forbidden => 403,
        RefusalKind.Conflict => 409,
        _ => 400,
    };
}

/// <summary>What a read gives: the value, or why not.</summary>
public sealed record Outcome<T>(T? Value, Refusal? Refusal)
{
    public bool Succeeded => Refusal is null;

    public static Outcome<T> Of(T value) => new(value, null);

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}

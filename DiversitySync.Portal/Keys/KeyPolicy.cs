using System.Linq.Expressions;

namespace DiversitySync.Portal.Keys;

/// <summary>
/// The organisation's rules for its keys (K-12), set by Owners on Admin → Settings and PUT /v1/settings/key-policy.
/// Every rule is off until set. The service applies them to every new key (created or rolled) and to every change of
/// an expiry or allowlist; keys made before a rule are not changed, only listed on Review as breaking it.
/// </summary>
public sealed record KeyPolicy(
    int? LiveMaxLifetimeDays = null,
    int? TestMaxLifetimeDays = null,
    bool LiveKeysMustExpire = false,
    bool WriteKeysNeedAllowlist = false,
    int? ExpireUnusedAfterDays = null)
{
    public static readonly KeyPolicy None = new();

    public const int MaxDays = 3650;

    /// <summary>The reminders come 7 days and 1 day before: a shorter idle limit would expire keys unannounced.</summary>
    public const int MinUnusedDays = 8;

    public bool IsEmpty => this == None;

    public int? MaxLifetimeDays(ApiKeyEnvironment environment) =>
        environment == ApiKeyEnvironment.Live ? LiveMaxLifetimeDays : TestMaxLifetimeDays;

    /// <summary>Whether a key of <paramref name="environment"/> needs an expiry date: required, or a maximum lifetime.</summary>
    public bool MustExpire(ApiKeyEnvironment environment) =>
        MaxLifetimeDays(environment) is not null || (environment == ApiKeyEnvironment.Live && LiveKeysMustExpire);

    /// <summary>The latest expiry a key made at <paramref name="createdAt"/> may have; null: any.</summary>
    public DateTime? LatestExpiry(ApiKeyEnvironment environment, DateTime createdAt) =>
        MaxLifetimeDays(environment) is { } days ? createdAt.AddDays(days) : null;

    /// <summary>
    /// How a key with these settings breaks the policy, by the field to change (expiresAt, allowedIps); empty: it
    /// keeps it. The one statement of the rules: creating, rolling, changing an expiry or an allowlist all ask it.
    /// </summary>
    public IEnumerable<(string Field, string Message)> Breaches(ApiKeyEnvironment environment, DateTime createdAt,
        DateTime? expiresAt, bool holdsWriteScope, IpAllowlist? allowedIps)
    {
        var env = environment.ToCode();
        if (expiresAt is null && MustExpire(environment))
        {
            yield return ("expiresAt", $"The organisation's key policy requires {env} keys to expire: choose an " +
                "expiry date.");
        }
        else if (expiresAt > LatestExpiry(environment, createdAt))
        {
            yield return ("expiresAt", $"The organisation's key policy allows {env} keys at most " +
                $"{Days(MaxLifetimeDays(environment)!.Value)}: choose an expiry no later than " +
                $"{Dates.Minute(LatestExpiry(environment, createdAt)!.Value)} UTC.");
        }
        if (WriteKeysNeedAllowlist && holdsWriteScope && (allowedIps is null || allowedIps.IncludesAnywhere))
        {
            yield return ("allowedIps", "The organisation's key policy requires an IP allowlist (not anywhere) for " +
                "keys holding a write: scope.");
        }
    }

    /// <summary>
    /// <see cref="Breaches"/> as the database runs it, for Review's "breaks the key policy": usable keys only, the
    /// caller adds that.
    /// </summary>
    public Expression<Func<ApiKey, bool>> BreachedBy()
    {
        var liveMustExpire = MustExpire(ApiKeyEnvironment.Live);
        var testMustExpire = MustExpire(ApiKeyEnvironment.Test);
        var liveDays = LiveMaxLifetimeDays ?? MaxDays * 10;
        var testDays = TestMaxLifetimeDays ?? MaxDays * 10;
        var allowlist = WriteKeysNeedAllowlist;
        return k => (k.ExpiresAt == null && (k.Environment == ApiKeyEnvironment.Live ? liveMustExpire : testMustExpire))
            || (k.Environment == ApiKeyEnvironment.Live && k.ExpiresAt > k.CreatedAt.AddDays(liveDays))
            || (k.Environment == ApiKeyEnvironment.Test && k.ExpiresAt > k.CreatedAt.AddDays(testDays))
            || (allowlist && k.HoldsWriteScope && (k.AllowedIps == null || k.AllowedIps.EndsWith("/0")
                || k.AllowedIps.Contains("/0 ")));
    }

    /// <summary>The expiry choices a new key of <paramref name="environment"/> may take, in the drawer's order.</summary>
    public IReadOnlyList<(string Code, string Label, int? Days)> ExpiryChoices(ApiKeyEnvironment environment) =>
        [.. KeyExpiry.Choices.Where(c => c.Code switch
        {
            KeyExpiry.Never => !MustExpire(environment),
            KeyExpiry.Custom => true,
            _ => c.Days <= (MaxLifetimeDays(environment) ?? int.MaxValue),
        })];

    /// <summary>What the policy says, a sentence per rule, for the drawer and the settings page.</summary>
    public IReadOnlyList<string> Describe()
    {
        var rules = new List<string>();
        if (LiveMaxLifetimeDays is { } live) rules.Add($"Live keys expire within {Days(live)}.");
        else if (LiveKeysMustExpire) rules.Add("Live keys must have an expiry date.");
        if (TestMaxLifetimeDays is { } test) rules.Add($"Test keys expire within {Days(test)}.");
        if (WriteKeysNeedAllowlist) rules.Add("Keys holding a write: scope need an IP allowlist.");
        if (ExpireUnusedAfterDays is { } idle)
        {
            rules.Add($"Keys unused for {Days(idle)} expire automatically, with reminders 7 days and 1 day before.");
        }
        return rules;
    }

    /// <summary>What is wrong with the policy itself, by field; empty: it can be saved.</summary>
    public Dictionary<string, List<string>> Problems()
    {
        var problems = new Dictionary<string, List<string>>();
        void Check(string field, int? days, int min, string what)
        {
            if (days is { } d && (d < min || d > MaxDays))
            {
                problems[field] = [$"{what} must be between {min} and {MaxDays} days{(d < 1 ? ": no expiry choice " +
                    "would be allowed" : "")}, or empty for no limit."];
            }
        }
        Check("liveMaxLifetimeDays", LiveMaxLifetimeDays, 1, "The maximum lifetime of live keys");
        Check("testMaxLifetimeDays", TestMaxLifetimeDays, 1, "The maximum lifetime of test keys");
        Check("expireUnusedAfterDays", ExpireUnusedAfterDays, MinUnusedDays,
            "The days after which unused keys expire");
        return problems;
    }

    /// <summary>Before → after, for the audit event of a change.</summary>
    public string Summary() => IsEmpty ? "no rules" : string.Join(" ", Describe());

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}

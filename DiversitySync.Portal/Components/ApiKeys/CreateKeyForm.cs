using System.Globalization;
using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>
/// The Create API key drawer's fields, read by name from the posted form: nothing else can be bound (no mass
/// assignment: creator, hash, dates and revocation come from the server), and the input is kept for re-display.
/// </summary>
public sealed record CreateKeyForm(
    string Name = "", string Description = "", string Environment = "test", string ExpiresIn = "never", string ExpiresOn = "",
    IReadOnlyList<string>? Scopes = null, string RequestId = "")
{
    /// <summary>A blank form with a fresh one-time id (see <see cref="Shared.OneTimeForms"/>).</summary>
    public static CreateKeyForm Blank() => new(RequestId: Shared.OneTimeForms.NewId());

    /// <summary>The "Expires in" choices: code → (label, days). Custom uses <see cref="ExpiresOn"/>.</summary>
    public static readonly IReadOnlyList<(string Code, string Label, int? Days)> ExpiryChoices =
    [
        ("never", "Never", null),
        ("7", "7 days", 7),
        ("30", "30 days", 30),
        ("60", "60 days", 60),
        ("90", "90 days", 90),
        ("365", "1 year", 365),
        ("custom", "Custom date", null),
    ];

    public IReadOnlyList<string> SelectedScopes => Scopes ?? [];

    public static CreateKeyForm Read(IFormCollection form) => new(
        form["name"].ToString(),
        form["description"].ToString(),
        form["environment"].ToString(),
        form["expires_in"].ToString(),
        form["expires_on"].ToString(),
        [.. form["scope"].OfType<string>().Take(200)],
        form["request_id"].ToString());

    /// <summary>What to ask <see cref="ApiKeyService"/> for, or the errors only this form can have (the expiry choice).</summary>
    public NewApiKeyRequest ToRequest(DateTime now, Dictionary<string, string[]> errors)
    {
        DateTime? expiresAt = null;
        var choice = ExpiryChoices.FirstOrDefault(c => c.Code == ExpiresIn);
        if (choice.Code is null) errors["expiresAt"] = ["Choose when the key expires."];
        else if (choice.Days is { } days) expiresAt = now.AddDays(days);
        else if (choice.Code == "custom")
        {
            if (DateOnly.TryParseExact(ExpiresOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                // Valid through the whole chosen day, in UTC.
                expiresAt = DateTime.SpecifyKind(date.AddDays(1).ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc);
            }
            else errors["expiresAt"] = ["Enter the expiry date, or choose another option."];
        }
        return new NewApiKeyRequest(Name, Description, Environment, SelectedScopes, expiresAt);
    }
}

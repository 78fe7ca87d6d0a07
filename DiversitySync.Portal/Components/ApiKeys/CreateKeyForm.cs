using DiversitySync.Portal.Keys;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>
/// The Create API key drawer's fields, read by name from the posted form: nothing else can be bound (no mass
/// assignment: creator, hash, dates and revocation come from the server), and the input is kept for re-display.
/// </summary>
public sealed record CreateKeyForm(
    string Name = "", string Description = "", string Environment = "test", string ExpiresIn = KeyExpiry.Never, string ExpiresOn = "",
    IReadOnlyList<string>? Scopes = null, string RequestId = "")
{
    /// <summary>A blank form with a fresh one-time id (see <see cref="Shared.OneTimeForms"/>).</summary>
    public static CreateKeyForm Blank() => new(RequestId: Shared.OneTimeForms.NewId());

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
        var (expiresAt, problem) = KeyExpiry.Resolve(ExpiresIn, ExpiresOn, now);
        if (problem is not null) errors["expiresAt"] = [problem];
        return new NewApiKeyRequest(Name, Description, Environment, SelectedScopes, expiresAt);
    }
}

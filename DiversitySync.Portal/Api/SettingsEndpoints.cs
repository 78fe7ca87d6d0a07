using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

public static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettings(this RouteGroupBuilder v1)
    {
        var settings = v1.MapGroup("/settings").WithTags("Settings");
        settings.MapGet("/key-policy", GetKeyPolicy).RequireScope(ScopeCatalog.ReadSettings)
            .WithSummary("The organisation's key policy: maximum lifetimes of new live and test keys (days; null: no " +
                "limit), whether live keys must expire, whether keys holding a write: scope need an IP allowlist, " +
                "and after how many days unused keys expire (null: never).");
        settings.MapPut("/key-policy", PutKeyPolicy).RequireScope(ScopeCatalog.WriteSettings)
            .WithSummary("Replace the key policy (every field; a missing one is off). It applies to new keys and to " +
                "changed expiries and allowlists; existing keys that break it are listed by breaksPolicy=true, not " +
                "changed. Audited before → after.");
        return v1;
    }

    public static async Task<Results<Ok<KeyPolicy>, ProblemHttpResult>> GetKeyPolicy(HttpContext http,
        KeyPolicyService policies, CancellationToken cancellationToken)
    {
        var policy = await policies.GetAsync(ApiActor.Of(http), cancellationToken);
        return policy.Succeeded ? TypedResults.Ok(policy.Value) : policy.Refusal!.ToProblem();
    }

    public static async Task<Results<Ok<KeyPolicy>, ValidationProblem, ProblemHttpResult>> PutKeyPolicy(
        KeyPolicy body, HttpContext http, KeyPolicyService policies, CancellationToken cancellationToken)
    {
        var saved = await policies.SaveAsync(body, ApiActor.Of(http), cancellationToken);
        if (saved.Refusal is { Errors.Count: > 0 } invalid) return TypedResults.ValidationProblem(invalid.Errors);
        return saved.Succeeded ? TypedResults.Ok(saved.Value) : saved.Refusal!.ToProblem();
    }
}

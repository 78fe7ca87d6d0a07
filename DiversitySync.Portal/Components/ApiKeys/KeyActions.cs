using DiversitySync.Portal.Components.Shared;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DiversitySync.Portal.Components.ApiKeys;

/// <summary>
/// The API Keys screens' destructive actions: POST with antiforgery from a confirm dialog, then back to where the
/// person was with a status message (post/redirect/get). A GET or DELETE on these paths changes nothing.
/// </summary>
public static class KeyActions
{
    public static IEndpointRouteBuilder MapKeyActions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPortalPost("/admin/api-keys/{keyId}/revoke", RevokeAsync).RequireAuthorization(StaffPolicies.WriteApiKeys);
        endpoints.MapPortalPost("/admin/api-keys/revoke-all", RevokeAllAsync).RequireAuthorization(StaffPolicies.Owner);
        return endpoints;
    }

    private static async Task<Results<RedirectHttpResult, NotFound>> RevokeAsync(
        string keyId, HttpContext http, ApiKeyQueries queries, ApiKeyService keys,
        [FromForm] string? reason, [FromForm] string? returnUrl)
    {
        // Unknown and malformed ids look the same: 404 (security-checklist P-05).
        if (await queries.GetAsync(keyId) is not { } key) return TypedResults.NotFound();
        var outcome = await keys.RevokeAsync(keyId, PortalUser.From(http.User)!.ToActor(http), reason);
        var message = outcome == RevokeOutcome.Revoked
            ? new StatusMessage($"Revoked {key.Name} ({key.DisplayId}). Tokens made from it stop working now.")
            : new StatusMessage($"{key.Name} ({key.DisplayId}) was already revoked.", IsError: true);
        message.SetOn(http.Response);
        return TypedResults.Redirect(LocalUrl.OrDefault(returnUrl, KeyListState.Path));
    }

    private static async Task<RedirectHttpResult> RevokeAllAsync(
        HttpContext http, ApiKeyService keys, [FromForm] string? confirm, [FromForm] string? returnUrl)
    {
        var back = LocalUrl.OrDefault(returnUrl, KeyListState.Path);
        if (!string.Equals(confirm?.Trim(), RevokeAllDialog.Phrase, StringComparison.OrdinalIgnoreCase))
        {
            new StatusMessage($"Nothing was revoked: type \"{RevokeAllDialog.Phrase}\" to confirm.", IsError: true).SetOn(http.Response);
            return TypedResults.Redirect(back);
        }
        var count = await keys.RevokeAllAsync(PortalUser.From(http.User)!.ToActor(http), "all keys revoked by an Owner");
        new StatusMessage($"Revoked {Format.Plural(count, "key")}: every key that was not revoked yet.").SetOn(http.Response);
        return TypedResults.Redirect(back);
    }
}

using DiversitySync.Portal.Components.Account;
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
        string keyId, HttpContext http, ApiKeyService keys, [FromForm] string? reason, [FromForm] string? returnUrl)
    {
        var revoked = await keys.RevokeAsync(keyId, http.StaffActor(), reason);
        // Unknown and malformed ids look the same: 404 (P-05).
        if (revoked.Refusal?.Kind == RefusalKind.NotFound) return TypedResults.NotFound();
        var message = revoked.Value is { } key
            ? new StatusMessage($"Revoked {key.Name} ({key.DisplayId}). Tokens made from it stop working now.")
            : new StatusMessage(revoked.Refusal!.Message, IsError: true);
        message.SetOn(http.Response);
        return TypedResults.Redirect(LocalUrl.OrDefault(returnUrl, KeyListState.Path));
    }

    private static async Task<RedirectHttpResult> RevokeAllAsync(
        HttpContext http, ApiKeyService keys, [FromForm] string? confirm, [FromForm] string? returnUrl)
    {
        var revoked = await keys.RevokeAllAsync(http.StaffActor(), confirm);
        (revoked.Refusal is { } refused
            ? new StatusMessage(refused.Message, IsError: true)
            : new StatusMessage($"Revoked {Format.Plural(revoked.Value, "key")}: every key that was not revoked yet.")).SetOn(http.Response);
        return TypedResults.Redirect(LocalUrl.OrDefault(returnUrl, KeyListState.Path));
    }
}

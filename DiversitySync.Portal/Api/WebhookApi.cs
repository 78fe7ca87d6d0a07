using DiversitySync.Portal.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

/// <summary>
/// /v1/webhooks: endpoints, their delivery logs, test events, and the API shared secret that signs them.
/// </summary>
public static class WebhookApi
{
    public sealed record EndpointBody(string? Url, string? Description, string[]? Events, bool? Enabled);
    public sealed record SecretResponse(string Secret);

    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder v1)
    {
        var hooks = v1.MapGroup("/webhooks").WithTags("Webhooks");
        hooks.MapGet("/", List).RequireScope(ScopeCatalog.ReadWebhooks).WithSummary("The organisation's webhook " +
            "endpoints.");
        hooks.MapPost("/", Create).RequireScope(ScopeCatalog.WriteWebhooks)
            .WithSummary("Add an endpoint: {\"url\", \"events\": [...], \"description\"?}. https only; hosts on " +
                "private networks are refused.");
        hooks.MapGet("/secret", RevealSecret).RequireScope(ScopeCatalog.WriteWebhooks)
            .WithSummary("The API shared secret (whsec_…) that signs every delivery. Audited.");
        hooks.MapPost("/secret/rotate", RotateSecret).RequireScope(ScopeCatalog.WriteWebhooks)
            .WithSummary("A new shared secret; for 24 hours deliveries carry signatures with both. Audited.");
        hooks.MapGet("/{id}", Get).RequireScope(ScopeCatalog.ReadWebhooks);
        hooks.MapPatch("/{id}", Update).RequireScope(ScopeCatalog.WriteWebhooks)
            .WithSummary("Change url, description, events, or enabled (false disables; true enables again).");
        hooks.MapDelete("/{id}", Delete).RequireScope(ScopeCatalog.WriteWebhooks);
        hooks.MapPost("/{id}/test",
            SendTest).RequireScope(ScopeCatalog.WriteWebhooks).WithSummary("Queue a webhook.test event for this " +
            "endpoint.");
        hooks.MapGet("/{id}/deliveries",
            Deliveries).RequireScope(ScopeCatalog.ReadWebhooks).WithSummary("The endpoint's deliveries, newest first.");
        hooks.MapPost("/{id}/deliveries/{deliveryId:long}/retry", Retry).RequireScope(ScopeCatalog.WriteWebhooks)
            .WithSummary("Send an undelivered delivery again now, with the same webhook-id.");
        return v1;
    }

    private static WebhookEndpointRequest Request(EndpointBody body) => new(body.Url, body.Description, body.Events,
        body.Enabled);

    public static async Task<Results<Ok<IReadOnlyList<WebhookEndpointView>>, ProblemHttpResult>> List(HttpContext http,
        WebhookEndpointService service) =>
        Answer(await service.ListAsync(ApiActor.Of(http), http.RequestAborted));

    public static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> Get(string id, HttpContext http,
        WebhookEndpointService service) =>
        Answer(await service.GetAsync(ApiActor.Of(http), id, http.RequestAborted));

    public static async Task<Results<Created<WebhookEndpointView>, ProblemHttpResult>> Create(EndpointBody body,
        HttpContext http, WebhookEndpointService service)
    {
        var created = await service.CreateAsync(ApiActor.Of(http), Request(body), http.RequestAborted);
        return created.Value is { } endpoint ? TypedResults.Created($"/v1/webhooks/{endpoint.Id}",
            endpoint) : created.Refusal!.ToProblem();
    }

    public static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> Update(string id, EndpointBody body,
        HttpContext http, WebhookEndpointService service) =>
        Answer(await service.UpdateAsync(ApiActor.Of(http), id, Request(body), http.RequestAborted));

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, HttpContext http,
        WebhookEndpointService service) =>
        (await service.DeleteAsync(ApiActor.Of(http), id,
            http.RequestAborted)).Refusal is { } refused ? refused.ToProblem() : TypedResults.NoContent();

    public static async Task<Results<Accepted, ProblemHttpResult>> SendTest(string id, HttpContext http,
        WebhookEndpointService service) =>
        (await service.SendTestAsync(ApiActor.Of(http), id,
            http.RequestAborted)).Refusal is { } refused ? refused.ToProblem() : TypedResults.Accepted($"/v1/webhooks/{id}/deliveries");

    public static async Task<Results<Ok<IReadOnlyList<WebhookDeliveryView>>, ProblemHttpResult>> Deliveries(string id,
        HttpContext http, WebhookEndpointService service) =>
        Answer(await service.DeliveriesAsync(ApiActor.Of(http), id, cancellationToken: http.RequestAborted));

    public static async Task<Results<Accepted, ProblemHttpResult>> Retry(string id, long deliveryId, HttpContext http,
        WebhookEndpointService service) =>
        (await service.RetryAsync(ApiActor.Of(http), id, deliveryId,
            http.RequestAborted)).Refusal is { } refused ? refused.ToProblem() : TypedResults.Accepted($"/v1/webhooks/{id}/deliveries");

    public static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> RevealSecret(HttpContext http,
        WebhookSecrets secrets) =>
        SecretAnswer(http, await secrets.RevealAsync(ApiActor.Of(http), http.RequestAborted));

    public static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> RotateSecret(HttpContext http,
        WebhookSecrets secrets) =>
        SecretAnswer(http, await secrets.RotateAsync(ApiActor.Of(http), http.RequestAborted));

    private static Results<Ok<SecretResponse>, ProblemHttpResult> SecretAnswer(HttpContext http, Outcome<string> secret)
    {
        if (secret.Refusal is { } refused) return refused.ToProblem();
        http.Response.Headers.CacheControl = "no-store"; // the response carries the secret
        return TypedResults.Ok(new SecretResponse(secret.Value!));
    }

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refused ? refused.ToProblem() : TypedResults.Ok(outcome.Value!);
}

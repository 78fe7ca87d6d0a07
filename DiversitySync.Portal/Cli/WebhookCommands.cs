using System.CommandLine;
using DiversitySync.Portal.Webhooks;

namespace DiversitySync.Portal.Cli;

/// <summary>webhooks add | edit | list | enable | disable | delete.</summary>
public static partial class AdminCli
{
    private static Command WebhookCommands(CliRun run)
    {
        var url = Required("--url", "Where deliveries go: https:// to a public host.");
        var events = Required("--events",
            "The events, separated by spaces, e.g. \"api_key.revoked api_key.expiring\".");
        var description = Optional("--description", "What the endpoint is for.");
        var add = new Command("add", "Add a webhook endpoint (the same checks as /v1).") { url, events, description };
        add.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var request = new WebhookEndpointRequest(result.GetValue(url), result.GetValue(description),
                Words(result.GetValue(events)));
            var added = await provider.GetRequiredService<WebhookEndpointService>().CreateAsync(Actor.Cli, request);
            return added.Value is { } endpoint
                ? run.Done($"Added endpoint {endpoint.Id}: {endpoint.Url} for {string.Join(' ', endpoint.Events)}.")
                : await run.RefusedAsync(added.Refusal!.Message);
        }));

        var newUrl = Optional("--url", "A new URL.");
        var newEvents = Optional("--events", "The new events, separated by spaces.");
        var editId = EndpointId();
        var edit = new Command("edit", "Change what is given.") { editId, newUrl, newEvents, description };
        edit.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var asked = result.GetValue(newEvents) is { } list ? Words(list) : null;
            var request = new WebhookEndpointRequest(result.GetValue(newUrl), result.GetValue(description), asked);
            var changed = await provider.GetRequiredService<WebhookEndpointService>().UpdateAsync(Actor.Cli,
                result.GetValue(editId)!, request);
            return changed.Value is { } endpoint
                ? run.Done($"Saved endpoint {endpoint.Id}: {endpoint.Url} for {string.Join(' ', endpoint.Events)}.")
                : await run.RefusedAsync(changed.Refusal!.Message);
        }));

        var list = new Command("list", "The endpoints, enabled or disabled (with the reason).");
        list.SetAction((_, _) => run.PreparedAsync(async provider =>
        {
            var endpoints = (await provider.GetRequiredService<WebhookEndpointService>().ListAsync(Actor.Cli)).Value!;
            foreach (var e in endpoints)
            {
                run.Done($"{e.Id}  {(e.Enabled ? "enabled " : "disabled")}  {e.Url}  " +
                    $"{string.Join(' ', e.Events)}{(e.DisabledReason is { } why ? $"  ({why})" : "")}");
            }
            return run.Done($"{endpoints.Count} endpoints");
        }));

        return new Command("webhooks", "Webhook endpoints.")
        {
            add, edit, list, EnableCommand(run, "enable", true), EnableCommand(run, "disable",
                false), DeleteWebhookCommand(run),
        };
    }

    private static Argument<string> EndpointId() => new("endpointId") { Description = "The endpoint's ID (ep_…)." };

    private static Command EnableCommand(CliRun run, string name, bool enabled)
    {
        var id = EndpointId();
        var command = new Command(name,
            enabled ? "Send the endpoint events again." : "Stop sending the endpoint events.") { id };
        command.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var endpointId = result.GetValue(id)!;
            var changed = await provider.GetRequiredService<WebhookEndpointService>().UpdateAsync(Actor.Cli, endpointId,
                new(null, null, null, enabled));
            return changed.Refusal is { } refused
                ? await run.RefusedAsync(refused.Message)
                : run.Done($"{(enabled ? "Enabled" : "Disabled")} endpoint {endpointId}.");
        }));
        return command;
    }

    private static Command DeleteWebhookCommand(CliRun run)
    {
        var id = EndpointId();
        var command = new Command("delete", "Delete the endpoint and its delivery log.") { id };
        command.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var endpointId = result.GetValue(id)!;
            var deleted = await provider.GetRequiredService<WebhookEndpointService>().DeleteAsync(Actor.Cli,
                endpointId);
            return deleted.Refusal is { } refused
                ? await run.RefusedAsync(refused.Message)
                : run.Done($"Deleted endpoint {endpointId} and its delivery log.");
        }));
        return command;
    }
}

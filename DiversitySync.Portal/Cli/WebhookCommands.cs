using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Webhooks;

namespace DiversitySync.Portal.Cli;

/// <summary>webhooks add | edit | list | enable | disable | delete.</summary>
public static partial class AdminCli
{
    private static async Task<int> AddWebhookAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow("url", "events", "description");
        var request = new WebhookEndpointRequest(arguments.Required("url"), arguments.Optional("description"),
            arguments.Required("events").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var added = await provider.GetRequiredService<WebhookEndpointService>().CreateAsync(Actor.Cli, request);
        if (added.Value is not { } endpoint) return await Refused(stderr, added.Refusal!.Message);
        await stdout.WriteLineAsync($"Added endpoint {endpoint.Id}: {endpoint.Url} for {string.Join(' ', endpoint.Events)}.");
        return 0;
    }

    private static async Task<int> EditWebhookAsync(IServiceProvider provider, string id, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow("url", "events", "description");
        var request = new WebhookEndpointRequest(arguments.Optional("url"), arguments.Optional("description"),
            arguments.Optional("events")?.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var changed = await provider.GetRequiredService<WebhookEndpointService>().UpdateAsync(Actor.Cli, id, request);
        if (changed.Value is not { } endpoint) return await Refused(stderr, changed.Refusal!.Message);
        await stdout.WriteLineAsync($"Saved endpoint {endpoint.Id}: {endpoint.Url} for {string.Join(' ', endpoint.Events)}.");
        return 0;
    }

    private static async Task<int> ListWebhooksAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout)
    {
        arguments.Allow();
        var endpoints = (await provider.GetRequiredService<WebhookEndpointService>().ListAsync(Actor.Cli)).Value!;
        foreach (var e in endpoints)
        {
            await stdout.WriteLineAsync($"{e.Id}  {(e.Enabled ? "enabled " : "disabled")}  {e.Url}  {string.Join(' ', e.Events)}{(e.DisabledReason is { } why ? $"  ({why})" : "")}");
        }
        await stdout.WriteLineAsync($"{endpoints.Count} endpoints");
        return 0;
    }

    private static async Task<int> EnableWebhookAsync(IServiceProvider provider, string id, bool enabled, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow();
        var changed = await provider.GetRequiredService<WebhookEndpointService>().UpdateAsync(Actor.Cli, id, new(null, null, null, enabled));
        return changed.Refusal is { } refused ? await Refused(stderr, refused.Message) : Done(stdout, $"{(enabled ? "Enabled" : "Disabled")} endpoint {id}.");
    }

    private static async Task<int> DeleteWebhookAsync(IServiceProvider provider, string id, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow();
        var deleted = await provider.GetRequiredService<WebhookEndpointService>().DeleteAsync(Actor.Cli, id);
        return deleted.Refusal is { } refused ? await Refused(stderr, refused.Message) : Done(stdout, $"Deleted endpoint {id} and its delivery log.");
    }
}

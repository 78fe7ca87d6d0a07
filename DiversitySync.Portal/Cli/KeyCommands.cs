using System.Text.RegularExpressions;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Staff;
using Microsoft.AspNetCore.Identity;

namespace DiversitySync.Portal.Cli;

/// <summary>keys create | list | revoke.</summary>
public static partial class AdminCli
{
    private static async Task<int> CreateKeyAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow("creator", "name", "description", "env", "scopes", "expires-in");
        var creatorEmail = arguments.Required("creator");
        var request = new NewApiKeyRequest(
            arguments.Required("name"),
            arguments.Optional("description"),
            arguments.Required("env"),
            arguments.Required("scopes").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            ExpiresAt(arguments.Optional("expires-in"), provider.GetRequiredService<TimeProvider>()));
        var creator = await provider.GetRequiredService<UserManager<StaffMember>>().FindByEmailAsync(creatorEmail);
        if (creator is null) return await Refused(stderr, $"No staff member has the email {creatorEmail}.");

        var result = await provider.GetRequiredService<ApiKeyService>().CreateAsync(request, creator.Id, Actor.Cli);
        if (result.Created is not { } created)
        {
            return await Refused(stderr, string.Join(Environment.NewLine, result.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));
        }
        await stdout.WriteLineAsync(created.Plaintext);
        await stderr.WriteLineAsync($"Created key {created.Key.KeyId} (\"{created.Key.Name}\"). Store it now: it is not shown again.");
        return 0;
    }

    private static async Task<int> ListKeysAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout)
    {
        arguments.Allow("search", "env", "status", "limit");
        var environment = arguments.Optional("env");
        var status = arguments.Optional("status");
        var limit = arguments.Optional("limit") is { } text ? int.TryParse(text, out var n) && n is > 0 and <= ApiKeyQuery.MaxPageSize ? n
            : throw new CliUsageException($"--limit must be a number from 1 to {ApiKeyQuery.MaxPageSize}.") : 50;
        if (environment is not null && !ApiKeyEnvironments.TryParse(environment, out _)) throw new CliUsageException("--env must be live or test.");
        if (status is not null && !ApiKeyStatuses.TryParse(status, out _)) throw new CliUsageException("--status must be active, expiring_soon, expired or revoked.");
        ApiKeyEnvironments.TryParse(environment, out var env);
        ApiKeyStatuses.TryParse(status, out var state);

        var page = await provider.GetRequiredService<ApiKeyQueries>().SearchAsync(new ApiKeyQuery(
            arguments.Optional("search"), null, environment is null ? null : env, status is null ? null : state, PageSize: limit));
        string[] header = ["KEY ID", "ENV", "STATUS", "NAME", "CREATED BY", "CREATED", "LAST USED"];
        var rows = page.Items.Select(k => new[]
        {
            k.KeyId, k.Environment.ToCode(), k.Status.ToCode(), k.Name, k.CreatedBy.DisplayName,
            k.CreatedAt.ToString("yyyy-MM-dd HH:mm"), k.LastUsedAt?.ToString("yyyy-MM-dd HH:mm") ?? "never",
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows) await stdout.WriteLineAsync(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        await stdout.WriteLineAsync($"{page.Items.Count} of {page.Total} keys");
        return 0;
    }

    private static async Task<int> RevokeKeyAsync(IServiceProvider provider, string keyId, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow("reason");
        var outcome = await provider.GetRequiredService<ApiKeyService>().RevokeAsync(keyId, Actor.Cli, arguments.Optional("reason") ?? "revoked with the admin CLI");
        return outcome switch
        {
            RevokeOutcome.Revoked => Done(stdout, $"Revoked key {keyId}. Its tokens stop working within seconds on every instance."),
            RevokeOutcome.AlreadyRevoked => await Refused(stderr, $"Key {keyId} was already revoked."),
            _ => await Refused(stderr, $"There is no key {keyId}."),
        };
    }

    [GeneratedRegex("^([1-9][0-9]{0,4})([dh])$")]
    private static partial Regex Duration();

    private static DateTime? ExpiresAt(string? expiresIn, TimeProvider time)
    {
        if (expiresIn is null or "never") return null;
        var match = Duration().Match(expiresIn);
        if (!match.Success) throw new CliUsageException("--expires-in takes a number of days or hours, like 30d or 12h, or never.");
        var amount = int.Parse(match.Groups[1].Value);
        return time.GetUtcNow().UtcDateTime + (match.Groups[2].Value == "d" ? TimeSpan.FromDays(amount) : TimeSpan.FromHours(amount));
    }
}

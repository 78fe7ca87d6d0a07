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
        arguments.Allow("creator", "name", "description", "env", "scopes", "expires-in", "fields");
        var creatorEmail = arguments.Required("creator");
        var request = new NewApiKeyRequest(
            arguments.Required("name"),
            arguments.Optional("description"),
            arguments.Required("env"),
            arguments.Required("scopes").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            ExpiresAt(arguments.Optional("expires-in"), provider.GetRequiredService<TimeProvider>()),
            Fields(arguments.Optional("fields")));
        var creator = await provider.GetRequiredService<UserManager<StaffMember>>().FindByEmailAsync(creatorEmail);
        if (creator is null) return await Refused(stderr, $"No staff member has the email {creatorEmail}.");

        var result = await provider.GetRequiredService<ApiKeyService>().CreateAsync(request, Actor.Cli, creator.Id);
        if (result.Value is not { } created)
        {
            var refused = result.Refusal!;
            return await Refused(stderr, refused.Errors.Count == 0
                ? refused.Message
                : string.Join(Environment.NewLine, refused.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));
        }
        await stdout.WriteLineAsync(created.Plaintext);
        await stderr.WriteLineAsync($"Created key {created.Key.KeyId} (\"{created.Key.Name}\"). Store it now: it is not shown again.");
        return 0;
    }

    private static async Task<int> ListKeysAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout)
    {
        arguments.Allow("search", "env", "status", "access", "limit");
        var limit = arguments.Optional("limit") is { } text ? int.TryParse(text, out var n) ? n : 0 : 50;
        var (query, errors) = ApiKeyQueryParser.Parse(arguments.Optional("search"), environment: arguments.Optional("env"), status: arguments.Optional("status"), pageSize: limit, access: arguments.Optional("access"));
        if (errors.Count > 0)
        {
            // The parser names /v1's parameters; say which option each one is.
            var option = new Dictionary<string, string> { ["environment"] = "env", ["pageSize"] = "limit" };
            throw new CliUsageException(string.Join(" ", errors.Select(e => $"--{option.GetValueOrDefault(e.Key, e.Key)}: {e.Value[0]}")));
        }
        var page = (await provider.GetRequiredService<ApiKeyQueries>().SearchAsync(Actor.Cli, query)).Value!;
        string[] header = ["KEY ID", "ENV", "STATUS", "ACCESS", "NAME", "CREATED BY", "CREATED", "LAST USED"];
        var rows = page.Items.Select(k => new[]
        {
            k.KeyId, k.Environment.ToCode(), k.Status.ToCode(), k.AccessLabel, k.Name, k.CreatedBy.DisplayName,
            Dates.Minute(k.CreatedAt), k.LastUsedAt is { } used ? Dates.Minute(used) : "never",
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows) await stdout.WriteLineAsync(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        await stdout.WriteLineAsync($"{page.Items.Count} of {page.Total} keys");
        return 0;
    }

    private static async Task<int> RevokeKeyAsync(IServiceProvider provider, string keyId, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow("reason");
        var revoked = await provider.GetRequiredService<ApiKeyService>().RevokeAsync(keyId, Actor.Cli, arguments.Optional("reason") ?? "revoked with the admin CLI");
        return revoked.Refusal is { } refused
            ? await Refused(stderr, refused.Message)
            : Done(stdout, $"Revoked key {keyId}. Its tokens stop working within seconds on every instance.");
    }

    /// <summary><c>--fields "staff=name,email audit=action"</c>: the fields to limit the key to, per resource.</summary>
    private static Dictionary<string, IReadOnlyList<string>>? Fields(string? option)
    {
        if (option is null) return null;
        var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var part in option.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Split('=', 2) is not [var resource, var names] || resource.Length == 0 || !fields.TryAdd(resource, names.Split(',', StringSplitOptions.RemoveEmptyEntries)))
            {
                throw new CliUsageException("--fields takes resource=field,field pairs separated by spaces, each resource once, like \"staff=name,email\".");
            }
        }
        return fields;
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

using System.CommandLine;
using System.Text.RegularExpressions;
using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Identity;

namespace DiversitySync.Portal.Cli;

/// <summary>keys create | list | revoke | roll | report.</summary>
public static partial class AdminCli
{
    private static Command KeyCommands(CliRun run)
    {
        var keys = new Command("keys", "API keys.");
        keys.Subcommands.Add(CreateKeyCommand(run));
        keys.Subcommands.Add(ListKeysCommand(run));
        keys.Subcommands.Add(RevokeKeyCommand(run));
        keys.Subcommands.Add(RollKeyCommand(run));
        keys.Subcommands.Add(ReportCommand(run));
        return keys;
    }

    private static Command CreateKeyCommand(CliRun run)
    {
        var creator = Required("--creator",
            "The email of the staff member the key belongs to; it never does more than they may.");
        var name = Required("--name", "What the key is for, e.g. \"Payroll export\".");
        var environment = Required("--env", "live or test.");
        var scopes = Required("--scopes", "Its scopes, separated by spaces, e.g. \"read:api_keys read:users\".");
        var description = Optional("--description", "More about the key.");
        var expiresIn = Optional("--expires-in", "How long it lives: 30d, 12h or never (the default).");
        expiresIn.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && text != "never" && Lifetime(text) is null)
            {
                result.AddError("--expires-in takes a number of days or hours, like 30d or 12h, or never.");
            }
        });
        var fields = Optional("--fields",
            "Limit the key to these fields of each resource named, e.g. \"staff=name,email audit=action\" (others: " +
            "all fields).");
        fields.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && Fields(text) is null)
            {
                result.AddError("--fields takes resource=field,field pairs separated by spaces, each resource once, " +
                    "like \"staff=name,email\".");
            }
        });
        var allowedIps = Optional("--allowed-ips",
            "Where the key may be used from: IP addresses and CIDR ranges separated by commas or spaces, e.g. " +
            "\"203.0.113.0/24, 2001:db8::/32\" (default: anywhere).");
        var command = new Command("create", "Create a key: prints only the key on stdout. It is shown once.")
        {
            creator, name, environment, scopes, description, expiresIn, fields, allowedIps,
        };
        command.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var creatorEmail = result.GetValue(creator)!;
            var expiresAt = result.GetValue(expiresIn) is { } text && Lifetime(text) is { } lifetime
                ? provider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime + lifetime
                : (DateTime?)null;
            var limited = result.GetValue(fields) is { } asked ? Fields(asked) : null;
            var request = new NewApiKeyRequest(
                result.GetValue(name), result.GetValue(description), result.GetValue(environment),
                Words(result.GetValue(scopes)), expiresAt, limited,
                result.GetValue(allowedIps)?.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries));
            if (await provider.GetRequiredService<UserManager<StaffMember>>()
                .FindByEmailAsync(creatorEmail) is not { } owner)
            {
                return await run.RefusedAsync($"No staff member has the email {creatorEmail}.");
            }
            var created = await provider.GetRequiredService<ApiKeyService>().CreateAsync(request, Actor.Cli, owner.Id);
            if (created.Value is not { } key) return await run.RefusedAsync(Described(created.Refusal!));
            run.Done(key.Plaintext);
            await run.NoteAsync($"Created key {key.Key.KeyId} (\"{key.Key.Name}\"). Store it now: it is not shown " +
                $"again.");
            return 0;
        }));
        return command;
    }

    /// <summary>A refusal for the terminal: its message, or each problem with the field it is about.</summary>
    private static string Described(Refusal refused) => refused.Errors.Count == 0
        ? refused.Message
        : string.Join(Environment.NewLine, refused.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));

    private static Command RollKeyCommand(CliRun run)
    {
        var keyId = new Argument<string>("keyId") { Description = "The key's ID (16 hexadecimal characters)." };
        var grace = Optional("--grace",
            "How long the old key keeps working beside the new one: 0, 12h, 7d at most (default 24h); never past its " +
            "own expiry.");
        grace.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && Grace(text) is null)
            {
                result.AddError("--grace takes 0 or a number of hours or days up to 7 days, like 24h or 7d.");
            }
        });
        var command = new Command("roll",
            "Replace a key by a new one with the same settings: prints only the new key on stdout, once.")
        {
            keyId, grace,
        };
        command.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var id = result.GetValue(keyId)!;
            var seconds = result.GetValue(grace) is { } text ? Grace(text)!.Value : TimeSpan.FromDays(1);
            var rolled = await provider.GetRequiredService<ApiKeyService>().RollAsync(id, (int)seconds.TotalSeconds,
                Actor.Cli);
            if (rolled.Value is not { } key) return await run.RefusedAsync(Described(rolled.Refusal!));
            run.Done(key.Plaintext);
            var old = (await provider.GetRequiredService<ApiKeyQueries>().GetAsync(Actor.Cli, id)).Value;
            await run.NoteAsync($"Rolled key {id}: the new key is {key.Key.KeyId}. Store it now: it is not shown " +
                $"again. The old key works until {Dates.Instant(old!.ExpiresAt!.Value)}.");
            return 0;
        }));
        return command;
    }

    /// <summary>0, or hours or days up to <see cref="ApiKeyService.MaxGraceSeconds"/>; null for anything else.</summary>
    private static TimeSpan? Grace(string text) =>
        text == "0" ? TimeSpan.Zero
        : Lifetime(text) is { } span && span.TotalSeconds <= ApiKeyService.MaxGraceSeconds ? span
        : null;

    private static Command ListKeysCommand(CliRun run)
    {
        var search = Optional("--search", "Part of a name, a key ID or a whole key.");
        var environment = Optional("--env", "live or test.");
        var status = Optional("--status", "active, expiring_soon, expired, replaced or revoked.");
        var access = Optional("--access", "read_only, admin or custom.");
        var used = Optional("--used", "never, within:30d or before:90d (not used for 90 days).");
        var expires = Optional("--expires", "never or within:7d.");
        var created = Optional("--created", "within:30d, before:1y or 2026-01-01..2026-03-31.");
        var unusedScopes = new Option<bool>("--unused-scopes")
        {
            Description = "Only keys holding a scope they have not used in the review window (90 days).",
        };
        var creatorStatus = Optional("--creator-status", "active, invited, blocked or archived.");
        var writes = new Option<bool>("--writes") { Description = "Only keys holding a write: scope." };
        var breaksPolicy = new Option<bool>("--breaks-policy")
        {
            Description = "Only usable keys that break the organisation's key policy.",
        };
        var limit = new Option<int>("--limit")
        {
            Description = "How many keys at most (1–200).",
            DefaultValueFactory = _ => 50
        };
        var command = new Command("list", "A table of keys with their access, newest first.")
        {
            search, environment, status, access, used, expires, created, unusedScopes, creatorStatus, writes, breaksPolicy,
            limit,
        };
        command.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var (query, errors) = ApiKeyQueryParser.Parse(new ApiKeyListParameters(result.GetValue(search),
                Environment: result.GetValue(environment), Status: result.GetValue(status),
                PageSize: result.GetValue(limit), Access: result.GetValue(access), Used: result.GetValue(used),
                Expires: result.GetValue(expires), Created: result.GetValue(created),
                UnusedScopes: result.GetValue(unusedScopes) ? "true" : null,
                CreatorStatus: result.GetValue(creatorStatus), Writes: result.GetValue(writes) ? "true" : null,
                BreaksPolicy: result.GetValue(breaksPolicy) ? "true" : null));
            if (errors.Count > 0)
            {
                // The parser names /v1's parameters; say which option each one is.
                var option = new Dictionary<string, string>
                {
                    ["environment"] = "env",
                    ["pageSize"] = "limit",
                    ["unusedScopes"] = "unused-scopes",
                    ["creatorStatus"] = "creator-status",
                };
                throw new CliUsageException(string.Join(" ",
                    errors.Select(e => $"--{option.GetValueOrDefault(e.Key, e.Key)}: {e.Value[0]}")));
            }
            var page = (await provider.GetRequiredService<ApiKeyQueries>().SearchAsync(Actor.Cli, query)).Value!;
            string[] header = ["KEY ID", "ENV", "STATUS", "ACCESS", "NAME", "CREATED BY", "CREATED", "LAST USED"];
            var rows = page.Items.Select(k => new[]
            {
                k.KeyId, k.Environment.ToCode(), k.Status.ToCode(), k.AccessLabel, k.Name, k.CreatedBy.DisplayName,
                Dates.Minute(k.CreatedAt), k.LastUsedAt is { } used ? Dates.Minute(used) : "never",
            }).Prepend(header).ToList();
            var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
            foreach (var row in rows)
            {
                run.Done(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
            }
            return run.Done($"{page.Items.Count} of {(page.TotalIsExact ? "" : "more than ")}{page.Total} keys");
        }));
        return command;
    }

    private static readonly System.Text.Json.JsonSerializerOptions ReportJson =
        new(System.Text.Json.JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(
                System.Text.Json.JsonNamingPolicy.SnakeCaseLower) },
        };

    private static Command ReportCommand(CliRun run)
    {
        var format = Optional("--format", "csv (the default) or json.");
        format.AcceptOnlyFromAmong("csv", "json");
        var command = new Command("report",
            "The credential report on stdout: every key with its standing, creator and recent use.") { format };
        command.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var rows = (await provider.GetRequiredService<CredentialReport>().StreamAsync(Actor.Cli)).Value!;
            if (result.GetValue(format) == "json")
            {
                await foreach (var row in rows)
                {
                    // One JSON object a line: a million keys stream in the memory of one, and jq reads them as they come.
                    await run.Stdout.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(row, ReportJson));
                }
            }
            else
            {
                await Csv.WriteAsync(rows, CredentialReport.Columns, run.Stdout, CancellationToken.None);
            }
            return 0;
        }));
        return command;
    }

    private static Command RevokeKeyCommand(CliRun run)
    {
        var keyId = new Argument<string>("keyId") { Description = "The key's ID (16 hexadecimal characters)." };
        var reason = Optional("--reason", "Why, for the audit log and the key's page.");
        var command = new Command("revoke", "Revoke a key at once.") { keyId, reason };
        command.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var id = result.GetValue(keyId)!;
            var revoked = await provider.GetRequiredService<ApiKeyService>().RevokeAsync(id, Actor.Cli,
                result.GetValue(reason) ?? "revoked with the admin CLI");
            return revoked.Refusal is { } refused
                ? await run.RefusedAsync(refused.Message)
                : run.Done($"Revoked key {id}. Its tokens stop working within seconds on every instance.");
        }));
        return command;
    }

    /// <summary>
    /// <c>--fields "staff=name,email audit=action"</c>: the fields to limit the key to, per resource; null when
    /// malformed.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<string>>? Fields(string option)
    {
        var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var part in option.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Split('=', 2) is not [var resource, var names] || resource.Length == 0
                || !fields.TryAdd(resource, names.Split(',', StringSplitOptions.RemoveEmptyEntries)))
            {
                return null;
            }
        }
        return fields;
    }

    [GeneratedRegex("^([1-9][0-9]{0,4})([dh])$")]
    private static partial Regex Duration();

    /// <summary>30d or 12h; null for anything else ("never" included: no lifetime).</summary>
    private static TimeSpan? Lifetime(string text)
    {
        var match = Duration().Match(text);
        if (!match.Success) return null;
        var amount = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return match.Groups[2].Value == "d" ? TimeSpan.FromDays(amount) : TimeSpan.FromHours(amount);
    }
}

using System.Text.RegularExpressions;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Cli;

/// <summary>
/// Admin commands on the same executable: `dotnet run --project DiversitySync.Portal -- &lt;command&gt;`.
/// They use the same services as the server, and a running server picks their changes up within a second.
/// Exit codes: 0 done, 1 refused (with the reason on stderr), 2 usage error.
/// </summary>
public static partial class AdminCli
{
    public const string Usage = """
        Usage: dotnet run --project DiversitySync.Portal -- <command>

          setup-link                         Print a one-time link that creates the first Owner.
          staff create --email E --name N --role Owner|Admin|ReadOnly
          keys create --creator E --name N --env live|test --scopes "a b" [--description D] [--expires-in 30d|12h|never]
                                             Prints only the new key on stdout. It is shown once.
          keys list [--search S] [--env live|test] [--status active|expiring_soon|expired|revoked] [--limit N]
          keys revoke <keyId> [--reason R]
          signing-keys rotate                New signing key; the previous one stays valid for tokens it signed.
        """;

    private static readonly string[] CommandWords = ["setup-link", "staff", "keys", "signing-keys", "help", "--help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && CommandWords.Contains(args[0]);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        try
        {
            var arguments = new CliArguments(args);
            return arguments.Words switch
            {
                ["help"] or [] => Done(stdout, Usage),
                ["setup-link"] => await SetupLinkAsync(provider, arguments, stdout, stderr),
                ["staff", "create"] => await CreateStaffAsync(provider, arguments, stdout, stderr),
                ["keys", "create"] => await CreateKeyAsync(provider, arguments, stdout, stderr),
                ["keys", "list"] => await ListKeysAsync(provider, arguments, stdout),
                ["keys", "revoke", var keyId] => await RevokeKeyAsync(provider, keyId, arguments, stdout, stderr),
                ["signing-keys", "rotate"] => await RotateSigningKeyAsync(provider, arguments, stdout, stderr),
                _ => throw new CliUsageException($"Unknown command: {string.Join(' ', args)}"),
            };
        }
        catch (CliUsageException exception)
        {
            await stderr.WriteLineAsync($"error: {exception.Message}\n\n{Usage}");
            return 2;
        }
    }

    private static async Task<int> SetupLinkAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow();
        var token = await provider.GetRequiredService<StaffService>().CreateSetupTokenAsync(Actor.Cli);
        if (token is null) return await Refused(stderr, "An Owner already exists: sign in instead.");
        await stdout.WriteLineAsync(SetupLink(provider, token));
        return 0;
    }

    public static string SetupLink(IServiceProvider provider, string token) =>
        $"{provider.GetRequiredService<IOptions<PortalOptions>>().Value.PublicUrl.TrimEnd('/')}/setup?token={token}";

    private static async Task<int> CreateStaffAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow("email", "name", "role");
        var (email, name, role) = (arguments.Required("email"), arguments.Required("name"), arguments.Required("role"));
        var result = await provider.GetRequiredService<StaffService>().CreateAsync(email, name, role, Actor.Cli);
        if (result.Created is not { } staff) return await Refused(stderr, result.Error!);
        await stdout.WriteLineAsync($"Created {staff.DisplayName} <{staff.Email}> as {role} (id {staff.Id}).");
        return 0;
    }

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

    private static async Task<int> RotateSigningKeyAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow();
        var store = provider.GetRequiredService<SigningKeyStore>();
        if (store.IsConfiguredByFile) return await Refused(stderr, "The signing key comes from Tokens:SigningKeyFile: rotate it by replacing that file.");
        var kid = await store.RotateAsync(provider.GetRequiredService<PortalDbContext>(), Actor.Cli);
        await stdout.WriteLineAsync($"Now signing with key {kid}. The previous key stays published so its tokens remain valid until they expire.");
        return 0;
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

    private static int Done(TextWriter stdout, string message)
    {
        stdout.WriteLine(message);
        return 0;
    }

    private static async Task<int> Refused(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync($"error: {message}");
        return 1;
    }
}

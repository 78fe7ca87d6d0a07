using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tokens;
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
          staff invite --email E --name N --roles "Admin Auditor"
                                             Prints a one-time invite link (valid 7 days).
          roles save --name N --permissions "read:users read:audit" [--description D]
                                             Create or change a custom role.
          keys create --creator E --name N --env live|test --scopes "a b" [--description D] [--expires-in 30d|12h|never]
                      [--fields "staff=name,email audit=action"]
                                             Prints only the new key on stdout. It is shown once. --fields limits
                                             the key to those fields of each resource named (others: all fields).
          keys list [--search S] [--env live|test] [--status active|expiring_soon|expired|revoked] [--access read_only|admin|custom] [--limit N]
          keys revoke <keyId> [--reason R]
          webhooks add --url https://… --events "api_key.revoked api_key.expiring" [--description D]
          webhooks edit <endpointId> [--url U] [--events "a b"] [--description D]
          webhooks list
          webhooks enable|disable|delete <endpointId>
          signing-keys rotate                New signing key; the previous one stays valid for tokens it signed.
          db migrate                         Apply pending migrations (for Database:MigrateAtStart=false).
          db backup <file>                   SQLite: an online, consistent copy of the database into a new file.
        """;

    private static readonly string[] CommandWords = ["setup-link", "staff", "roles", "keys", "webhooks", "signing-keys", "db", "help", "--help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && CommandWords.Contains(args[0]);

    /// <param name="prepare">The start-up work (migrations and the rest) to do first, for every command but `db`:
    /// `db migrate` is how a database that is behind gets migrated, and `db backup` copies the database as it is.</param>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr, Func<Task>? prepare = null)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        try
        {
            var arguments = new CliArguments(args);
            if (prepare is not null && arguments.Words is not ["db", ..]) await prepare();
            return arguments.Words switch
            {
                ["help"] or [] => Done(stdout, Usage),
                ["setup-link"] => await SetupLinkAsync(provider, arguments, stdout, stderr),
                ["staff", "create"] => await CreateStaffAsync(provider, arguments, stdout, stderr),
                ["staff", "invite"] => await InviteStaffAsync(provider, arguments, stdout, stderr),
                ["roles", "save"] => await SaveRoleAsync(provider, arguments, stdout, stderr),
                ["keys", "create"] => await CreateKeyAsync(provider, arguments, stdout, stderr),
                ["keys", "list"] => await ListKeysAsync(provider, arguments, stdout),
                ["keys", "revoke", var keyId] => await RevokeKeyAsync(provider, keyId, arguments, stdout, stderr),
                ["webhooks", "add"] => await AddWebhookAsync(provider, arguments, stdout, stderr),
                ["webhooks", "edit", var id] => await EditWebhookAsync(provider, id, arguments, stdout, stderr),
                ["webhooks", "list"] => await ListWebhooksAsync(provider, arguments, stdout),
                ["webhooks", "enable", var id] => await EnableWebhookAsync(provider, id, true, arguments, stdout, stderr),
                ["webhooks", "disable", var id] => await EnableWebhookAsync(provider, id, false, arguments, stdout, stderr),
                ["webhooks", "delete", var id] => await DeleteWebhookAsync(provider, id, arguments, stdout, stderr),
                ["signing-keys", "rotate"] => await RotateSigningKeyAsync(provider, arguments, stdout, stderr),
                ["db", "migrate"] => await MigrateAsync(provider, arguments, stdout),
                ["db", "backup", var file] => await BackupAsync(provider, file, arguments, stdout, stderr),
                _ => throw new CliUsageException($"Unknown command: {string.Join(' ', args)}"),
            };
        }
        catch (CliUsageException exception)
        {
            await stderr.WriteLineAsync($"error: {exception.Message}\n\n{Usage}");
            return 2;
        }
        catch (DatabaseSetupException exception)
        {
            return await Refused(stderr, exception.Message); // the reason, not a stack trace
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
        provider.GetRequiredService<IOptions<PortalOptions>>().Value.Link($"/setup?token={token}");

    private static async Task<int> CreateStaffAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow("email", "name", "role");
        var (email, name, role) = (arguments.Required("email"), arguments.Required("name"), arguments.Required("role"));
        var result = await provider.GetRequiredService<StaffService>().CreateAsync(email, name, role, Actor.Cli);
        if (result.Value is not { } staff) return await Refused(stderr, result.Refusal!.Message);
        await stdout.WriteLineAsync($"Created {staff.DisplayName} <{staff.Email}> as {role} (id {staff.Id}).");
        return 0;
    }

    private static async Task<int> InviteStaffAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow("email", "name", "roles");
        var roles = arguments.Required("roles").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var change = await provider.GetRequiredService<StaffInvites>().InviteAsync(arguments.Required("email"), arguments.Required("name"), roles, Actor.Cli);
        if (change.Value?.Link is not { } link) return await Refused(stderr, change.Refusal!.Message);
        await stdout.WriteLineAsync(link.Url);
        return 0;
    }

    private static async Task<int> SaveRoleAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow("name", "permissions", "description");
        var name = arguments.Required("name");
        var permissions = arguments.Required("permissions").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var change = await provider.GetRequiredService<StaffRoles>().SaveRoleAsync(name, arguments.Optional("description"), permissions, Actor.Cli);
        if (change.Refusal is { } refused) return await Refused(stderr, refused.Message);
        await stdout.WriteLineAsync($"Saved role {name}: {string.Join(' ', permissions)}.");
        return 0;
    }

    private static async Task<int> RotateSigningKeyAsync(IServiceProvider provider, CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Allow();
        var rotated = await provider.GetRequiredService<SigningKeyStore>().RotateAsync(provider.GetRequiredService<UnitOfWork>(), Actor.Cli);
        if (rotated.Value is not { } kid) return await Refused(stderr, rotated.Refusal!.Message);
        await stdout.WriteLineAsync($"Now signing with key {kid}. The previous key stays published so its tokens remain valid until they expire.");
        return 0;
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

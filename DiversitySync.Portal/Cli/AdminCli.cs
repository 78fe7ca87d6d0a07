using System.CommandLine;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tokens;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Cli;

/// <summary>
/// Admin commands on the same executable: `dotnet run --project DiversitySync.Portal -- &lt;command&gt;`, parsed by
/// System.CommandLine (so every command answers --help). They use the same services as the server, and a running
/// server picks their changes up within a second. Exit codes: 0 done, 1 refused (with the reason on stderr), 2 usage
/// error (on stderr too).
/// </summary>
public static partial class AdminCli
{
    private static readonly string[] CommandWords = ["setup-link", "staff", "roles", "keys", "webhooks", "signing-keys",
        "db", "help", "--help", "-h"];

    public static bool IsCommand(string[] args) => args.Length > 0 && CommandWords.Contains(args[0]);

    /// <param name="prepare">The start-up work (migrations and the rest) to do first, for every command but `db`:
    /// `db migrate` is how a database that is behind gets migrated, and `db backup` copies the database as it
    /// is.</param>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout,
        TextWriter stderr, Func<Task>? prepare = null)
    {
        await using var scope = services.CreateAsyncScope();
        var run = new CliRun(scope.ServiceProvider, stdout, stderr, prepare);
        var root = Commands(run);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return await UsageErrorAsync(stderr, parsed.CommandResult.Command, parsed.Errors.Select(e => e.Message));
        }
        try
        {
            // Our own handlers: a refusal is exit code 1 with its reason, never a stack trace.
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false
            });
        }
        catch (CliUsageException exception)
        {
            return await UsageErrorAsync(stderr, parsed.CommandResult.Command, [exception.Message]);
        }
        catch (DatabaseSetupException exception)
        {
            return await run.RefusedAsync(exception.Message); // the reason, not a stack trace
        }
    }

    private static async Task<int> UsageErrorAsync(TextWriter stderr, Command command, IEnumerable<string> messages)
    {
        foreach (var message in messages) await stderr.WriteLineAsync($"error: {message}");
        await stderr.WriteLineAsync($"See `{CommandPath(command)} --help`.");
        return 2;
    }

    private static string CommandPath(Command command) =>
        string.Join(' ', command.Parents.OfType<Command>().Reverse().Where(c => c is not RootCommand).Select(c => c.Name).Append(command is RootCommand ? "" : command.Name)).Trim() is { Length: > 0 } path
            ? path
            : "help";

    private static RootCommand Commands(CliRun run)
    {
        var root = new RootCommand("Admin commands of DiversitySync Portal: dotnet run --project DiversitySync.Portal " +
            "" +
            "-- <command>.");
        // No command, or `help`: the list of commands, as --help prints it.
        int ShowCommands(ParseResult _) =>
            root.Parse("--help").Invoke(new InvocationConfiguration { Output = run.Stdout });
        root.SetAction(ShowCommands);
        var help = new Command("help", "Show these commands.");
        help.SetAction(ShowCommands);
        root.Subcommands.Add(help);
        root.Subcommands.Add(SetupLinkCommand(run));
        root.Subcommands.Add(StaffCommands(run));
        root.Subcommands.Add(RoleCommands(run));
        root.Subcommands.Add(KeyCommands(run));
        root.Subcommands.Add(WebhookCommands(run));
        root.Subcommands.Add(SigningKeyCommands(run));
        root.Subcommands.Add(DatabaseCommands(run));
        return root;
    }

    private static Command SetupLinkCommand(CliRun run)
    {
        var command = new Command("setup-link",
            "Print a one-time link that creates the first Owner (refused once an Owner exists).");
        command.SetAction((_, _) => run.PreparedAsync(async provider =>
        {
            var token = await provider.GetRequiredService<StaffService>().CreateSetupTokenAsync(Actor.Cli);
            return token is null ? await run.RefusedAsync("An Owner already exists: sign in " +
                "instead.") : run.Done(SetupLink(provider, token));
        }));
        return command;
    }

    public static string SetupLink(IServiceProvider provider, string token) =>
        provider.GetRequiredService<IOptions<PortalOptions>>().Value.Link($"/setup?token={token}");

    private static Command StaffCommands(CliRun run)
    {
        var email = Required("--email", "The staff member's email: how they sign in.");
        var name = Required("--name", "Their name as the portal shows it.");
        var role = Required("--role", "Owner, Admin, ReadOnly or a custom role.");
        var create = new Command("create",
            "Create an active staff member (without a password: they reset it to sign in).") { email, name, role };
        create.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var roleName = result.GetValue(role)!;
            var created = await provider.GetRequiredService<StaffService>().CreateAsync(result.GetValue(email)!,
                result.GetValue(name)!, roleName, Actor.Cli);
            return created.Value is { } staff
                ? run.Done($"Created {staff.DisplayName} <{staff.Email}> as {roleName} (id {staff.Id}).")
                : await run.RefusedAsync(created.Refusal!.Message);
        }));

        var roles = Required("--roles", "Their roles, separated by spaces, e.g. \"Admin Auditor\".");
        var invite = new Command("invite",
            "Invite a staff member: prints the one-time invite link (valid 7 days).") { email, name, roles };
        invite.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var invited = await provider.GetRequiredService<StaffInvites>().InviteAsync(result.GetValue(email)!,
                result.GetValue(name)!, Words(result.GetValue(roles)), Actor.Cli);
            return invited.Value?.Link is { } link
                ? run.Done(link.Url)
                : await run.RefusedAsync(invited.Refusal!.Message);
        }));
        return new Command("staff", "Add staff members.") { create, invite };
    }

    private static Command RoleCommands(CliRun run)
    {
        var name = Required("--name", "The role's name.");
        var permissions = Required("--permissions",
            "Its permissions, separated by spaces, e.g. \"read:users read:audit\".");
        var description = Optional("--description", "What the role is for.");
        var save = new Command("save", "Create or change a custom role.") { name, permissions, description };
        save.SetAction((result, _) => run.PreparedAsync(async provider =>
        {
            var (roleName, granted) = (result.GetValue(name)!, Words(result.GetValue(permissions)));
            var saved = await provider.GetRequiredService<StaffRoles>().SaveRoleAsync(roleName,
                result.GetValue(description), granted, Actor.Cli);
            return saved.Refusal is { } refused ? await run.RefusedAsync(refused.Message) : run.Done($"Saved role " +
                $"{roleName}: {string.Join(' ', granted)}.");
        }));
        return new Command("roles", "Custom roles.") { save };
    }

    private static Command SigningKeyCommands(CliRun run)
    {
        var rotate = new Command("rotate",
            "Make a new signing key; the previous one stays valid for the tokens it signed.");
        rotate.SetAction((_, _) => run.PreparedAsync(async provider =>
        {
            var rotated = await provider.GetRequiredService<SigningKeyStore>()
                .RotateAsync(provider.GetRequiredService<UnitOfWork>(), Actor.Cli);
            return rotated.Value is { } kid
                ? run.Done($"Now signing with key {kid}. The previous key stays published so its tokens remain valid " +
                    $"until they expire.")
                : await run.RefusedAsync(rotated.Refusal!.Message);
        }));
        return new Command("signing-keys", "The keys access tokens are signed with.") { rotate };
    }

    private static Option<string> Required(string name, string description) => new(name)
    {
        Description = description,
        Required = true
    };

    private static Option<string> Optional(string name, string description) => new(name) { Description = description };

    /// <summary>A space-separated list, as the README's examples quote it ("read:users read:audit").</summary>
    private static string[] Words(string? text) => text?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
}

/// <summary>One run of an admin command: its services, where it writes, and the start-up work it needs first.</summary>
internal sealed class CliRun(IServiceProvider provider, TextWriter stdout, TextWriter stderr, Func<Task>? prepare)
{
    public TextWriter Stdout => stdout;

    /// <summary>Runs a command after the start-up work (migrations, roles, signing keys).</summary>
    public async Task<int> PreparedAsync(Func<IServiceProvider, Task<int>> command)
    {
        if (prepare is not null) await prepare();
        return await command(provider);
    }

    /// <summary>Runs a `db` command as the database is, without the start-up work.</summary>
    public Task<int> UnpreparedAsync(Func<IServiceProvider, Task<int>> command) => command(provider);

    public int Done(string message)
    {
        stdout.WriteLine(message);
        return 0;
    }

    /// <summary>A remark for the person at the terminal, on stderr: stdout stays what a script captures.</summary>
    public Task NoteAsync(string message) => stderr.WriteLineAsync(message);

    public async Task<int> RefusedAsync(string message)
    {
        await stderr.WriteLineAsync($"error: {message}");
        return 1;
    }
}

/// <summary>A usage error found after parsing (a value that does not fit its option): exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);

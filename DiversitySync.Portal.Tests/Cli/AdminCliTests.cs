using DiversitySync.Portal.Cli;

namespace DiversitySync.Portal.Tests.Cli;

public class AdminCliTests(LoopbackWebhooksPortalFactory factory) : IClassFixture<LoopbackWebhooksPortalFactory>
{
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        factory.CreateClient();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exitCode = await AdminCli.RunAsync(factory.Services, args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_readme_walkthrough_works_from_the_command_line_to_v1()
    {
        await using var server = new PortalFactory();
        var client = server.CreateClient();

        var setup = await AppProcess.RunAsync(server.DataDirectory, "setup-link");
        setup.ExitCode.Should().Be(0, setup.Stderr);
        setup.Stdout.Trim().Should().MatchRegex(@"^http://localhost:5080/setup\?token=[A-Za-z0-9_-]{43}$");

        var staff = await AppProcess.RunAsync(server.DataDirectory, "staff", "create", "--email", "olive@example.com",
            "--name", "Olive Owner", "--role", "Owner");
        staff.ExitCode.Should().Be(0, staff.Stderr);

        var created = await AppProcess.RunAsync(server.DataDirectory, "keys", "create", "--creator",
            "olive@example.com", "--name", "Payroll export",
            "--env", "live", "--scopes", "read:api_keys read:users", "--expires-in", "30d");
        created.ExitCode.Should().Be(0, created.Stderr);
        var key = created.Stdout.TrimEnd('\n');
        key.Should().MatchRegex("^ds_live_[0-9a-f]{16}_[0-9a-f]{48}$", "stdout holds the key and nothing else");

        var token = await client.AccessTokenAsync(key);
        var me = await (await client.GetAsync("/v1/me", token)).JsonAsync();
        me.GetProperty("name").GetString().Should().Be("Payroll export");
        me.GetProperty("createdBy").GetProperty("displayName").GetString().Should().Be("Olive Owner");

        var again = await AppProcess.RunAsync(server.DataDirectory, "setup-link");
        again.ExitCode.Should().Be(1);
        again.Stderr.Should().Contain("An Owner already exists");
    }

    [Fact]
    public async Task K10_keys_roll_prints_only_the_successor_which_keeps_the_allowlist_and_the_old_key_stops_later()
    {
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);
        var created = await RunAsync("keys", "create", "--creator", owner.Email!, "--name", "CLI roll", "--env", "live",
            "--scopes", "read:api_keys", "--allowed-ips", "203.0.113.0/24, 2001:db8::/32");
        var oldId = ApiKeyFormat.Parse(created.Stdout.Trim())!.Value.KeyId;

        var rolled = await RunAsync("keys", "roll", oldId, "--grace", "12h");

        rolled.ExitCode.Should().Be(0, rolled.Stderr);
        var successor = ApiKeyFormat.Parse(rolled.Stdout.Trim())!.Value.KeyId;
        var keys = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys.AsNoTracking()
            .Where(k => k.KeyId == oldId || k.KeyId == successor).ToDictionaryAsync(k => k.KeyId));
        (keys[successor].AllowedIps, keys[successor].ReplacesKeyId, keys[oldId].ExpiresAt).Should().Be((
            "203.0.113.0/24 2001:db8::/32", oldId, factory.Time.GetUtcNow().UtcDateTime.AddHours(12)));
    }

    [Theory]
    [InlineData("8d")]
    [InlineData("-1")]
    [InlineData("soon")]
    public async Task Keys_roll_with_a_grace_out_of_range_is_a_usage_error_and_changes_nothing(string grace)
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());

        var rolled = await RunAsync("keys", "roll", key.Key.KeyId, "--grace", grace);

        (rolled.ExitCode, rolled.Stdout).Should().Be((2, ""));
        (await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().ApiKeys
            .CountAsync(k => k.ReplacesKeyId == key.Key.KeyId))).Should().Be(0);
    }

    [Fact]
    public async Task Keys_create_limits_fields_and_keys_list_shows_the_access()
    {
        var owner = await factory.StaffAsync(StaffRoleNames.Owner);

        var created = await RunAsync("keys", "create", "--creator", owner.Email!, "--name", "CLI calendar", "--env",
            "test",
            "--scopes", "read:users", "--fields", "staff=name,email");
        var listed = await RunAsync("keys", "list", "--search", "CLI calendar", "--access", "read_only");

        created.ExitCode.Should().Be(0, created.Stderr);
        var token = await factory.CreateClient().AccessTokenAsync(created.Stdout.Trim());
        TokenRequests.Payload(token).GetProperty("fields").GetRawText().Should().Be("""{"staff":["name","email"]}""");
        listed.Stdout.Should().Contain("ACCESS").And.Contain("Read-only").And.Contain("CLI calendar");
    }

    [Fact]
    public async Task Webhooks_are_added_edited_listed_disabled_and_deleted_from_the_command_line()
    {
        var added = await RunAsync("webhooks", "add", "--url", PortalFactory.UnansweredWebhookUrl, "--events",
            "api_key.revoked api_key.expiring", "--description", "SIEM");
        added.ExitCode.Should().Be(0, added.Stderr);
        var id = added.Stdout.Split(' ')[2].TrimEnd(':');

        (await RunAsync("webhooks", "edit", id, "--events",
            "api_key.revoked api_key.expiring api_key.expired")).ExitCode.Should().Be(0);
        (await RunAsync("webhooks", "disable", id)).ExitCode.Should().Be(0);
        (await RunAsync("webhooks",
            "list")).Stdout.Should().Contain($"{id}  disabled  {PortalFactory.UnansweredWebhookUrl}  api_key.revoked " +
            $"api_key.expiring api_key.expired");
        (await RunAsync("webhooks", "delete", id)).ExitCode.Should().Be(0);
        (await RunAsync("webhooks", "list")).Stdout.Should().NotContain(id);
        // A URL that would print an escape sequence into the operator's terminal is refused, not stored.
        var refused = await RunAsync("webhooks", "add", "--url", "https://example.com/\u001b[31mred", "--events",
            "api_key.revoked");
        refused.ExitCode.Should().Be(1);
        refused.Stderr.Should().Contain("control or bidirectional-text characters").And.NotContain("\u001b");
    }

    [Theory]
    [InlineData(2, "Unrecognized command or argument 'delete'", "keys", "delete")]
    [InlineData(2, "Option '--email' is required", "staff", "create", "--name", "N", "--role", "Owner")]
    [InlineData(2, "Unrecognized command or argument '--nmae'", "keys", "create", "--nmae", "x")]
    [InlineData(2, "--expires-in", "keys", "create", "--creator", "a@example.com", "--name", "n", "--env", "live",
        "--scopes", "read:api_keys", "--expires-in", "soon")]
    [InlineData(1, "No staff member", "keys", "create", "--creator", "nobody@example.com", "--name", "n", "--env",
        "live", "--scopes", "read:api_keys")]
    [InlineData(1, "There is no role", "staff", "create", "--email", "x@example.com", "--name", "X", "--role",
        "Superuser")]
    [InlineData(1, "not an email address", "staff", "create", "--email", "not-an-email", "--name", "X", "--role",
        "Admin")]
    [InlineData(1, "There is no key", "keys", "revoke", "0000000000000000")]
    [InlineData(2, "--fields takes resource=field,field pairs", "keys", "create", "--creator", "a@example.com",
        "--name", "n", "--env", "live", "--scopes", "read:users", "--fields", "staff:name")]
    public async Task Bad_input_exits_non_zero_with_a_clear_message_and_prints_no_key(int exitCode, string message,
        params string[] args)
    {
        var result = await RunAsync(args);

        result.ExitCode.Should().Be(exitCode);
        result.Stderr.Should().Contain(message);
        result.Stdout.Should().NotContain("ds_live_");
    }

    /// <summary>Every command the README lists, as its words.</summary>
    public static TheoryData<string> Commands =>
    [
        "setup-link", "staff create", "staff invite", "roles save", "keys create", "keys list", "keys " +
            "revoke", "keys roll", "keys report", "webhooks add", "webhooks edit",
        "webhooks list", "webhooks enable", "webhooks disable", "webhooks delete", "signing-keys rotate", "db migrate",
        "db backup",
    ];

    [Theory, MemberData(nameof(Commands))]
    public async Task Every_command_answers_help_on_stdout_and_changes_nothing(string command)
    {
        var before = await factory.WithScopeAsync(s =>
            s.GetRequiredService<PortalDbContext>().AuditEvents.CountAsync());

        var result = await RunAsync([.. command.Split(' '), "--help"]);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain($"Usage:").And.Contain(command);
        result.Stderr.Should().BeEmpty();
        (await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().AuditEvents.CountAsync())).Should()
            .Be(before);
    }

    [Fact]
    public async Task A_usage_error_goes_to_stderr_with_exit_code_2_and_says_where_help_is()
    {
        var result = await RunAsync("webhooks", "add", "--url");

        result.ExitCode.Should().Be(2);
        result.Stdout.Should().BeEmpty();
        result.Stderr.Should().StartWith("error: ").And.Contain("See `webhooks add --help`.");
    }

    [Fact]
    public async Task A_key_beyond_the_creators_permissions_is_refused()
    {
        var reader = await factory.StaffAsync(StaffRoleNames.ReadOnly);

        var result = await RunAsync("keys", "create", "--creator", reader.Email!, "--name", "n", "--env", "live",
            "--scopes", "write:api_keys");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("write:api_keys");
    }

    [Fact]
    public async Task Keys_list_and_revoke_work_on_the_same_keys()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(), name: "Listed by the CLI");

        var listed = await RunAsync("keys", "list", "--search", "Listed by");
        listed.Stdout.Should().Contain(key.Key.KeyId).And.Contain("Listed by the CLI").And.Contain("active");

        var revoked = await RunAsync("keys", "revoke", key.Key.KeyId);
        revoked.ExitCode.Should().Be(0);
        (await factory.CreateClient().ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await RunAsync("keys", "revoke", key.Key.KeyId)).Stderr.Should().Contain("already revoked");
    }

    [Fact]
    public async Task Signing_keys_rotate_publishes_a_second_key()
    {
        var result = await RunAsync("signing-keys", "rotate");

        result.ExitCode.Should().Be(0);
        var jwks = await (await factory.CreateClient().GetAsync("/.well-known/jwks.json")).JsonAsync();
        jwks.GetProperty("keys").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task Roles_save_makes_a_custom_role_and_staff_invite_prints_a_link_for_it()
    {
        var role = await RunAsync("roles", "save", "--name", "Auditor", "--permissions", "read:users read:audit",
            "--description", "Reads people and the log");
        var invite = await RunAsync("staff", "invite", "--email", "audrey@example.com", "--name", "Audrey Auditor",
            "--roles", "Auditor");
        var bad = await RunAsync("roles", "save", "--name", "Broken", "--permissions", "read:everything");

        role.ExitCode.Should().Be(0, role.Stderr);
        invite.ExitCode.Should().Be(0, invite.Stderr);
        invite.Stdout.Trim().Should().MatchRegex(@"^http://localhost:5080/account/password\?token=[A-Za-z0-9_-]{43}$");
        var portal = factory.CreatePortalClient();
        (await portal.GetStringAsync(new Uri(invite.Stdout.Trim()).PathAndQuery)).Should().Contain("Audrey Auditor");
        bad.ExitCode.Should().Be(1);
        bad.Stderr.Should().Contain("There is no permission named 'read:everything'.");
    }
}

namespace DiversitySync.Portal.Tests.Providers;

/// <summary>
/// Two processes of the real executable on one PostgreSQL database, as behind a load balancer: what one instance
/// changes holds on the other (J-08, R-11). Their change-feed poll is set to its longest (5 s), so that what
/// arrives sooner arrived through LISTEN/NOTIFY. (The deadlines only stop a hung test; bench/postgres.sh measures
/// how long propagation takes.)
/// </summary>
public sealed class SeveralInstancesTests : IAsyncLifetime
{
    private readonly string database = PostgresCluster.Shared.CreateDatabase();
    private readonly AppInstances instances;

    public SeveralInstancesTests() => instances = new AppInstances(Settings);

    private (string, string)[] Settings =>
        [("Database__Provider", "PostgreSQL"), ("ConnectionStrings__Portal", database),
            ("ChangeFeed__PollSeconds", "5")];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await instances.DisposeAsync();
        PostgresCluster.Shared.DropDatabase(database);
    }

    [Fact]
    public async Task A_key_made_on_one_instance_works_on_the_other_and_a_revocation_there_holds_here()
    {
        var admin = await CliKeyAsync("read:api_keys write:api_keys");
        var (a, _) = await instances.StartAsync();
        var (b, _) = await instances.StartAsync();
        var adminToken = await a.AccessTokenAsync(admin.Plaintext);

        var made = await (await a.PostJsonAsync("/v1/api-keys", adminToken, """{"name":"Made on A","environment":"live","scopes":["read:api_keys"]}""")).JsonAsync();
        var key = made.GetProperty("key").GetString()!;
        var keyId = made.GetProperty("apiKey").GetProperty("keyId").GetString()!;
        var tokenFromB = await b.AccessTokenAsync(key);
        (await a.GetAsync("/v1/me", tokenFromB)).StatusCode.Should().Be(HttpStatusCode.OK,
            "A trusts B's signing key through the database");

        (await b.PostJsonAsync($"/v1/api-keys/{keyId}/revoke", await b.AccessTokenAsync(admin.Plaintext),
            "{}")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Eventually.StatusAsync(() => a.GetAsync("/v1/me", tokenFromB), HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(3)))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the revocation made on B holds on A");
        (await a.ExchangeAsync(key)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_signing_key_rotated_by_one_instance_is_honoured_by_the_other()
    {
        var key = await CliKeyAsync("read:api_keys");
        var (a, _) = await instances.StartAsync();
        var (b, _) = await instances.StartAsync();
        var before = TokenRequests.Header(await a.AccessTokenAsync(key.Plaintext)).GetProperty("kid").GetString();

        (await AppProcess.RunAsync(PortalFactory.NewDataDirectory(), Settings, "signing-keys",
            "rotate")).ExitCode.Should().Be(0);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? token;
        do
        {
            token = await a.AccessTokenAsync(key.Plaintext);
        }
        while (TokenRequests.Header(token).GetProperty("kid").GetString() == before && DateTime.UtcNow < deadline && await PauseAsync());

        TokenRequests.Header(token).GetProperty("kid").GetString().Should().NotBe(before, "A signs with the new key");
        (await b.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK, "B verifies it");
    }

    [Fact]
    public async Task Killing_an_instance_right_after_it_acknowledged_a_revocation_loses_nothing()
    {
        var admin = await CliKeyAsync("read:api_keys write:api_keys");
        var victim = await CliKeyAsync("read:api_keys");
        var (a, aProcess) = await instances.StartAsync();
        var (b, _) = await instances.StartAsync();
        var adminToken = await a.AccessTokenAsync(admin.Plaintext);
        var victimToken = await b.AccessTokenAsync(victim.Plaintext);
        using var load = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            while (!load.IsCancellationRequested) await a.ExchangeAsync(admin.Plaintext).ContinueWith(_ => { });
        });

        (await a.PostJsonAsync($"/v1/api-keys/{victim.KeyId}/revoke", adminToken,
            "{}")).StatusCode.Should().Be(HttpStatusCode.OK);
        aProcess.Kill(entireProcessTree: true); // SIGKILL, under load
        await load.CancelAsync();
        await traffic;

        (await Eventually.StatusAsync(() => b.GetAsync("/v1/me", victimToken), HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10)))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await b.ExchangeAsync(victim.Plaintext)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_portal_session_from_one_instance_works_on_the_other_until_the_staff_member_is_archived()
    {
        await using var a = new PostgresPortalFactory();
        await using var b = a.Another(new() { ["ChangeFeed:PollSeconds"] = "5" });
        var staff = await a.StaffAsync();
        await a.SetPasswordAsync(staff);
        var signIn = await a.CreatePortalClient().SignInAsync(staff.Email!, PortalSignIn.Password);
        var cookies = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var onB = b.CreateClient(new()
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = false
        });
        onB.DefaultRequestHeaders.Add("Cookie", cookies);
        (await onB.GetAsync("/admin/api-keys")).StatusCode.Should().Be(HttpStatusCode.OK,
            "B reads A's cookie with the key ring they share");

        await a.ChangeStaffAsync(staff, StaffStatus.Archived);

        var next = await Eventually.StatusAsync(() => onB.GetAsync("/admin/api-keys"), HttpStatusCode.Redirect,
            TimeSpan.FromSeconds(3));
        next.StatusCode.Should().Be(HttpStatusCode.Redirect,
            "B learns of the archiving from the database it shares with A");
        next.Headers.Location!.OriginalString.Should().Contain("/login");
    }

    /// <summary>For a loop condition: waits a little, then lets the loop go on.</summary>
    private static async Task<bool> PauseAsync()
    {
        await Task.Delay(200);
        return true;
    }

    private async Task<(string Plaintext, string KeyId)> CliKeyAsync(string scopes)
    {
        var directory = PortalFactory.NewDataDirectory();
        try
        {
            await AppProcess.RunAsync(directory, Settings, "staff", "create", "--email", "owner@example.com", "--name",
                "Owner", "--role", "Owner");
            var (exit, stdout, stderr) = await AppProcess.RunAsync(directory, Settings,
                "keys", "create", "--creator", "owner@example.com", "--name", $"Key {Guid.NewGuid():N}", "--env",
                "live", "--scopes", scopes);
            exit.Should().Be(0, stderr);
            var plaintext = stdout.Trim();
            return (plaintext, plaintext.Split('_')[2]);
        }
        finally
        {
            PortalFactory.TryDelete(directory);
        }
    }
}

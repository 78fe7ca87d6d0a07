namespace DiversitySync.Portal.Tests.Review;

/// <summary>The credential report: every key, its standing, creator and recent use, as CSV and JSON.</summary>
public class CredentialReportTests(UnlimitedPortalFactory factory) : IClassFixture<UnlimitedPortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task The_report_has_every_key_with_its_creator_status_recent_use_and_scopes_used_and_unused()
    {
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var blocked = await factory.StaffAsync(name: "Bea Blocked");
        var reader = await factory.KeyAsync(owner, "download:api_keys read:api_keys read:users");
        var idle = await factory.KeyAsync(blocked, name: "Idle key");
        await factory.ChangeStaffAsync(blocked, StaffStatus.Blocked);
        await factory.Services.GetRequiredService<ChangeFeed>().CatchUpAsync(CancellationToken.None);
        var token = await client.AccessTokenAsync(reader.Plaintext);
        (await client.GetAsync("/v1/api-keys", token)).EnsureSuccessStatusCode();
        await factory.Services.GetRequiredService<KeyUsageTracker>().FlushAsync();

        var csv = await (await client.GetAsync("/v1/api-keys/report", token)).Content.ReadAsStringAsync();
        var json = await (await client.GetAsync("/v1/api-keys/report?format=json", token)).JsonAsync();

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("key_id,name,environment,status,access,scopes,created_by,creator_status,created_at," +
            "expires_at,last_used_at,last_used_ip,exchanges_30d,api_calls_30d,scopes_used,scopes_unused");
        lines.Should().Contain(l => l.StartsWith(idle.Key.KeyId + ",Idle key,live,active,") &&
            l.Contains(",Bea Blocked,blocked,") && l.EndsWith(",0,0,,read:api_keys"));
        var row = json.EnumerateArray().Single(r => r.GetProperty("keyId").GetString() == reader.Key.KeyId);
        row.GetProperty("exchanges30Days").GetInt32().Should().Be(1);
        row.GetProperty("apiCalls30Days").GetInt32().Should().Be(1);
        row.GetProperty("scopesUsed").EnumerateArray().Select(s => s.GetString()).Should().Equal("read:api_keys");
        row.GetProperty("scopesUnused").EnumerateArray().Select(s => s.GetString()).Should()
            .Equal("download:api_keys", "read:users");
    }

    [Fact]
    public async Task A_report_in_another_format_is_a_400_naming_format()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync(), "download:api_keys");

        var response = await client.GetAsync("/v1/api-keys/report?format=xml",
            await client.AccessTokenAsync(key.Plaintext));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty("format", out _).Should().BeTrue();
    }
}

using System.Security.Cryptography;
using System.Text;

namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>
/// The app trusting one secret scanner's signing key, which the test holds; no webhook deliveries run.
/// </summary>
public sealed class ScannerTrustingPortalFactory() : PortalFactory(new Dictionary<string, string?>
{
    [$"SecretScanning:PublicKeys:{SecretScanningTests.ScannerKeyId}"] = SecretScanningTests.Scanner.ExportSubjectPublicKeyInfoPem(),
    ["Webhooks:Dispatch"] = "false",
    ["Webhooks:AllowPrivateNetworks"] = "true",
});

/// <summary>
/// POST /security/secret-scanning in the GitHub partner format: signed batches revoke our keys as leaked (S-04).
/// </summary>
public class SecretScanningTests(ScannerTrustingPortalFactory factory) : IClassFixture<ScannerTrustingPortalFactory>
{
    public const string ScannerKeyId = "bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c";
    public static readonly ECDsa Scanner = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private readonly HttpClient client = factory.CreateClient();

    private static string Batch(params string[] tokens) => JsonSerializer.Serialize(tokens.Select(t => new
    {
        token = t,
        type = "diversitysync_api_key",
        url = "https://github.com/octo/app/blob/abc123/.env",
        source = "content",
    }));

    private Task<HttpResponseMessage> ReportAsync(string body, string? signedBody = null, ECDsa? signer = null,
        string keyId = ScannerKeyId)
    {
        var signature = (signer ?? Scanner).SignData(Encoding.UTF8.GetBytes(signedBody ?? body),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/security/secret-scanning")
        {
            Headers = { { "Github-Public-Key-Identifier", keyId },
                { "Github-Public-Key-Signature", Convert.ToBase64String(signature) } },
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });
    }

    private async Task<NewApiKey> KeyAsync() => await factory.KeyAsync(await factory.StaffAsync(), "read:api_keys");

    private static string Sha256(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Same format and a valid checksum, but no such key.</summary>
    private static string LookAlike() => ApiKeyFormat.Create(ApiKeyEnvironment.Live, ApiKeyFormat.NewKeyId());

    [Fact]
    public async Task S04_a_signed_batch_revokes_our_keys_as_leaked_once_and_labels_every_token()
    {
        await factory.WithScopeAsync(s => s.GetRequiredService<WebhookEndpointService>().CreateAsync(Actor.System,
            new(PortalFactory.UnansweredWebhookUrl, null, ["api_key.revoked"])));
        var ours = await KeyAsync();
        var lookAlike = LookAlike();

        var response = await ReportAsync(Batch(ours.Plaintext, lookAlike, "ghp_notours", ours.Plaintext));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var labels = (await response.JsonAsync()).EnumerateArray()
            .ToDictionary(m => m.GetProperty("token_hash").GetString()!, m => m.GetProperty("label").GetString());
        labels.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            [Sha256(ours.Plaintext)] = "true_positive",
            [Sha256(lookAlike)] = "false_positive",
            [Sha256("ghp_notours")] = "false_positive",
        });
        (await client.ExchangeAsync(ours.Plaintext)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var revoked = (await factory.AuditAsync(AuditActions.KeyRevoked)).Where(e => e.TargetId == ours.Key.KeyId)
            .ToList();
        revoked.Should().ContainSingle().Which.Detail.Should().Be("leaked: found at " +
            "https://github.com/octo/app/blob/abc123/.env (content)");
        var webhook = await factory.WithScopeAsync(s => s.GetRequiredService<PortalDbContext>().WebhookMessages
            .Where(m => m.Type == "api_key.revoked").Select(m => m.Payload).ToListAsync());
        webhook.Should().ContainSingle(p => p.Contains(ours.Key.KeyId)).Which.Should().Contain("\"reason\":\"leaked\"");
    }

    public static TheoryData<string> BadSignatures() => ["other body", "other key", "unknown key id", "missing",
        "not base64"];

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task S04_a_report_without_a_valid_signature_gets_401_and_revokes_nothing(string how)
    {
        var key = await KeyAsync();
        var body = Batch(key.Plaintext);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = how switch
        {
            "other body" => ReportAsync(body, signedBody: Batch(LookAlike())),
            "other key" => ReportAsync(body, signer: stranger),
            "unknown key id" => ReportAsync(body, keyId: "0000"),
            _ => client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/security/secret-scanning")
            {
                Headers = { { "Github-Public-Key-Identifier", ScannerKeyId } },
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            }.With(how == "not base64" ? "%%%not-base64%%%" : null)),
        };

        var response = await request;

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    public static TheoryData<string, int> BadBatches() => new()
    {
        { "not json", 400 }, { """{"token":"x"}""", 400 }, { """[{"token":42}]""", 400 }, { """[{"type":"x"}]""", 400 },
        { """["ds_live_x"]""", 400 }, { "1001 tokens", 400 }, { "over 1 MB", 413 },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task A_signed_but_malformed_batch_gets_a_4xx_and_revokes_nothing(string body, int status)
    {
        var key = await KeyAsync();
        body = body switch
        {
            "1001 tokens" => Batch([key.Plaintext, .. Enumerable.Range(0, 1000).Select(i => $"token-{i}")]),
            "over 1 MB" => Batch([key.Plaintext, .. Enumerable.Range(0, 3000).Select(_ => new string('x', 400))]),
            _ => body,
        };

        var response = await ReportAsync(body);

        ((int)response.StatusCode).Should().Be(status, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).Should().NotContain(key.Plaintext).And.NotContain("   at ");
        (await client.ExchangeAsync(key.Plaintext)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_report_sent_as_anything_but_json_gets_415_and_any_method_but_post_405()
    {
        var form = await client.PostAsync("/security/secret-scanning", new FormUrlEncodedContent([new("token", "x")]));
        var get = await client.GetAsync("/security/secret-scanning");

        form.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        get.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Without_configured_scanner_keys_reports_are_not_accepted()
    {
        await using var plain = new QuietPortalFactory();

        var response = await plain.CreateClient().PostAsync("/security/secret-scanning",
            new StringContent("[]", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}

internal static class SignatureHeaders
{
    /// <summary>Adds a signature header with this raw value, when there is one.</summary>
    public static HttpRequestMessage With(this HttpRequestMessage request, string? signature)
    {
        if (signature is not null) request.Headers.TryAddWithoutValidation("Github-Public-Key-Signature", signature);
        return request;
    }
}

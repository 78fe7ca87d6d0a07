using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DiversitySync.Portal.Tests.Tokens;

/// <summary>
/// The real executable serving HTTPS straight from Kestrel with a certificate file, as the README configures it, for
/// clients that refuse any http:// authority.
/// </summary>
public sealed class HttpsTests : IAsyncLifetime
{
    private readonly string directory = PortalFactory.NewDataDirectory();
    private X509Certificate2 certificate = null!;
    private Process? server;

    public Task InitializeAsync()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(directory, "portal.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "portal.key"), rsa.ExportPkcs8PrivateKeyPem());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (server is { HasExited: false }) server.Kill(entireProcessTree: true);
        if (server is not null) await server.WaitForExitAsync();
        server?.Dispose();
        certificate.Dispose();
        PortalFactory.TryDelete(directory);
    }

    [Fact]
    public async Task The_executable_serves_https_from_a_certificate_file_and_exchanges_a_key_over_it()
    {
        await AppProcess.RunAsync(directory, "staff", "create", "--email", "owner@example.com", "--name", "Owner",
            "--role", "Owner");
        var (exit, stdout, stderr) = await AppProcess.RunAsync(directory,
            "keys", "create", "--creator", "owner@example.com", "--name", "Over TLS", "--env", "live", "--scopes",
            "read:api_keys");
        exit.Should().Be(0, stderr);
        var port = AppProcess.FreePort();
        var url = $"https://127.0.0.1:{port}";
        server = AppProcess.StartServer(directory, port,
            ("Urls", url), ("Portal__PublicUrl", url),
            ("Kestrel__Certificates__Default__Path", Path.Combine(directory, "portal.crt")),
            ("Kestrel__Certificates__Default__KeyPath", Path.Combine(directory, "portal.key")));
        // Trust exactly the certificate this test made, as a client with it in its trust store would.
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _,
            _) => presented?.Thumbprint == certificate.Thumbprint
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(url) };
        await AppProcess.WaitUntilLiveAsync(client, server);

        var token = await client.AccessTokenAsync(stdout.Trim());
        var metadata = await (await client.GetAsync("/.well-known/openid-configuration")).JsonAsync();

        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);
        metadata.GetProperty("token_endpoint").GetString().Should().Be(url + "/oauth/token");
        TokenRequests.Payload(token).GetProperty("iss").GetString().Should().Be(url);
    }
}

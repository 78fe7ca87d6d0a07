using System.Diagnostics;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// The reference implementation of Standard Webhooks, the npm package <c>standardwebhooks</c>, run with Node: it
/// shares nothing with our signing code. Installed once per test run into the test output folder.
/// </summary>
public static class StandardWebhooksVerifier
{
    private const string Package = "standardwebhooks@1.1.1";
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "standardwebhooks");
    private static readonly SemaphoreSlim Install = new(1, 1);
    private static bool installed;

    private const string Script = """
        const { Webhook } = require("standardwebhooks");
        let input = "";
        process.stdin.on("data", d => input += d).on("end", () => {
          const { secret, id, timestamp, signature, body, now } = JSON.parse(input);
          if (now) Date.now = () => now * 1000; // the receiver's clock, when the test has moved the app's
          try {
            new Webhook(secret).verify(body,
                { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature });
            console.log("verified");
          } catch (e) {
            console.log("refused: " + e.message);
          }
        });
        """;

    /// <summary>
    /// "verified", or "refused: " and the library's reason. <paramref name="now"/>: the receiver's clock (Unix
    /// seconds), if not the real one.
    /// </summary>
    public static async Task<string> VerifyAsync(string secret, ReceivedWebhook delivery, long? now = null)
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node", ["verify.js"])
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(new
        {
            secret,
            id = delivery.Id,
            timestamp = delivery.Timestamp,
            signature = delivery.Signature,
            body = delivery.Body,
            now
        }));
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        return output.Trim() is { Length: > 0 } said ? said : throw new InvalidOperationException($"node failed: " +
            $"{errors}");
    }

    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (installed) return;
            Directory.CreateDirectory(Folder);
            await File.WriteAllTextAsync(Path.Combine(Folder, "verify.js"), Script);
            installed = File.Exists(Path.Combine(Folder, "node_modules", "standardwebhooks", "package.json"));
            if (installed) return;
            await File.WriteAllTextAsync(Path.Combine(Folder, "package.json"), """{ "private": true }""");
            var npm = Process.Start(new ProcessStartInfo("npm",
                ["install", "--no-audit", "--no-fund",
                Package])
            { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var errors = await npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            if (npm.ExitCode != 0) throw new InvalidOperationException($"npm install {Package} failed: {errors}");
            installed = true;
        }
        finally
        {
            Install.Release();
        }
    }
}

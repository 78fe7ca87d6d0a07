using System.Diagnostics;
using System.Net.Sockets;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// The real executable, as `dotnet run --project DiversitySync.Portal -- …` or a deployment runs it, on a test's data.
/// </summary>
public static class AppProcess
{
    public static ProcessStartInfo StartInfo(string dataDirectory, params string[] args) => StartInfo(dataDirectory, [],
        args);

    /// <param name="settings">More environment settings, e.g. <c>("Database__Provider", "PostgreSQL")</c>.</param>
    public static ProcessStartInfo StartInfo(string dataDirectory, (string Name, string Value)[] settings,
        params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DiversitySync.Portal.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["Portal__DataDirectory"] = dataDirectory;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in settings) start.Environment[name] = value;
        return start;
    }

    /// <summary>
    /// The server on 127.0.0.1:<paramref name="port"/>, rate limits off, with one public URL whatever the port (so a
    /// token minted earlier keeps its issuer), its output drained. <paramref name="settings"/> are more environment
    /// settings.
    /// </summary>
    public static Process StartServer(string dataDirectory, int port, params (string Name, string Value)[] settings)
    {
        var start = StartInfo(dataDirectory,
            [("Urls", $"http://127.0.0.1:{port}"), ("Portal__PublicUrl", PublicUrlSetup.Fallback),
                ("RateLimits__Enabled", "false"), .. settings]);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs an admin command to its end.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dataDirectory,
        params string[] args) => RunAsync(dataDirectory, [], args);

    /// <summary>Runs an admin command to its end, with more environment settings.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dataDirectory,
        (string Name, string Value)[] settings, params string[] args)
    {
        using var process = Process.Start(StartInfo(dataDirectory, settings, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits for /healthz/live of a server process started on <paramref name="client"/>'s address.</summary>
    public static async Task WaitUntilLiveAsync(HttpClient client, Process server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !server.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/healthz/live")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The server process did not become live.");
    }
}

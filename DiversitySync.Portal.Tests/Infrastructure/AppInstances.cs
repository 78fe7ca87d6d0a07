using System.Diagnostics;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// Server processes of the real executable with the same settings (several instances on one database), each in a
/// data folder of its own; whatever is still running at the end is killed and its folder removed.
/// </summary>
public sealed class AppInstances(params (string Name, string Value)[] settings) : IAsyncDisposable
{
    private readonly List<(Process Process, HttpClient Client, string DataDirectory)> started = [];

    /// <summary>One more instance, once it answers; the client talks to it directly.</summary>
    public async Task<(HttpClient Client, Process Process)> StartAsync()
    {
        var directory = PortalFactory.NewDataDirectory();
        var port = AppProcess.FreePort();
        var process = AppProcess.StartServer(directory, port, settings);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        started.Add((process, client, directory));
        await AppProcess.WaitUntilLiveAsync(client, process);
        return (client, process);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, client, directory) in started)
        {
            client.Dispose();
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            PortalFactory.TryDelete(directory);
        }
    }
}

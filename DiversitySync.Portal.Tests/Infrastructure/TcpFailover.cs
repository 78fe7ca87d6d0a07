using System.Net.Sockets;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// A load balancer at its plainest, as nginx behaves with its default <c>proxy_next_upstream error</c>: every new
/// connection goes to the first instance that accepts it, so one browser stays on one instance (sticky) until that
/// instance goes away. Bytes are copied both ways untouched: HTTP, the circuit's WebSocket, cookies and Host.
/// </summary>
public sealed class TcpFailover : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<int> upstreams;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    public TcpFailover(params int[] upstreamPorts)
    {
        upstreams = upstreamPorts;
        listener.Start();
        accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var upstream = await ConnectAsync())
        {
            if (upstream is null) return; // no instance left: the connection is refused, as a balancer would answer 502
            var down = client.GetStream();
            var up = upstream.GetStream();
            // When either side closes (or an instance dies), both are closed: the browser sees the connection drop.
            await Task.WhenAny(CopyAsync(down, up), CopyAsync(up, down));
        }
    }

    private async Task<TcpClient?> ConnectAsync()
    {
        foreach (var port in upstreams)
        {
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, port, stopping.Token);
                return upstream;
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                upstream.Dispose();
            }
        }
        return null;
    }

    private async Task CopyAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, stopping.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }
}

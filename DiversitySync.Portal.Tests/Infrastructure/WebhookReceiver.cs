using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>A delivery as the receiver got it: the three Standard Webhooks headers and the exact body.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, string Path);

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel): records every POST and answers with <see cref="Answer"/>, which a
/// test can change (500 first, then 200; a redirect; a hang).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>What the next request gets; by default 200.</summary>
    public Func<HttpContext, Task> Answer { get; set; } = _ => Task.CompletedTask;

    public string Url { get; }

    private WebhookReceiver(WebApplication app, string url) => (this.app, Url) = (app, url);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = AppProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, $"http://127.0.0.1:{port}/hooks");
        app.Run(async http =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            receiver.Received.Enqueue(new ReceivedWebhook(
                http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), body, http.Request.Path));
            await receiver.Answer(http);
        });
        await app.StartAsync();
        return receiver;
    }

    public static Func<HttpContext, Task> Status(HttpStatusCode status) => http =>
    {
        http.Response.StatusCode = (int)status;
        return Task.CompletedTask;
    };

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

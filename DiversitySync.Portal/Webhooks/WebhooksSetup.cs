namespace DiversitySync.Portal.Webhooks;

public static class WebhooksSetup
{
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<WebhookSecrets>();
        builder.Services.AddScoped<WebhookEndpointService>();
        builder.Services.AddScoped<KeyExpiryReminders>();
        // Every connection resolves the host again and refuses non-public addresses (unless allowed); no redirects, no proxy.
        // No request logging: a receiver's URL often carries a secret in its path, and the default handlers log it
        // at Information. The dispatcher logs the endpoint's id instead.
        builder.Services.AddHttpClient(WebhookDispatcher.ClientName,
            client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var allowPrivate = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value.AllowPrivateNetworks;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = (context, cancellationToken) => WebhookUrls.ConnectAsync(context.DnsEndPoint,
                        allowPrivate, cancellationToken),
                };
            });
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebhookDispatcher>());
        return builder;
    }
}

using DiversitySync.Portal.Staff;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Cli;

/// <summary>
/// No default credentials: on a start with no staff at all, print a one-time link that creates the Owner.
/// It goes to the console only, never through the logging pipeline, because the token in it is a credential.
/// </summary>
public sealed class SetupLinkAnnouncer(IServiceScopeFactory scopes,
    ILogger<SetupLinkAnnouncer> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Users.AnyAsync(cancellationToken)) return;
        var token = await scope.ServiceProvider.GetRequiredService<StaffService>().CreateSetupTokenAsync(Actor.System,
            cancellationToken);
        if (token is null) return;
        var link = AdminCli.SetupLink(scope.ServiceProvider, token);
        await Console.Out.WriteLineAsync($"""

            ==> No staff yet. Open this one-time link to create the Owner account (valid for {StaffService.SetupLinkLifetime.TotalHours:0} hours):
                {link}

            """);
        logger.LogInformation("No staff yet: printed a one-time setup link to the console");
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiversitySync.Portal.Tests.Keys;

/// <summary>
/// After a restart the registry reads every key in the background. A key it has not reached yet still works at once,
/// read on its own; an unknown id meanwhile is refused as before (K-03: the same work as a wrong secret).
/// </summary>
public class KeyRegistryStartupTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    /// <summary>A registry as a server has it just after start: its creators read, none of the keys yet.</summary>
    private async Task<KeyAuthenticator> JustStartedAsync()
    {
        var registry = new KeyRegistry(factory.Services.GetRequiredService<StaffPermissions>(),
            factory.Services.GetRequiredService<IServiceScopeFactory>(),
            factory.Services.GetRequiredService<IHostApplicationLifetime>(), NullLogger<KeyRegistry>.Instance);
        await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            await registry.CatchUpAsync(db, await db.CurrentRevisionAsync(), CancellationToken.None);
        });
        return new KeyAuthenticator(registry, factory.Services.GetRequiredService<ChangeFeed>(), factory.Time);
    }

    [Fact]
    public async Task A_key_not_yet_read_at_start_up_is_read_when_presented_and_works()
    {
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var authenticator = await JustStartedAsync();

        var result = await authenticator.AuthenticateAsync(key.Plaintext, null, 0, CancellationToken.None);

        result.Refusal.Should().Be(KeyRefusal.None);
    }

    [Fact]
    public async Task K03_an_unknown_key_while_keys_are_still_being_read_is_refused_as_unknown()
    {
        var authenticator = await JustStartedAsync();

        var result = await authenticator.AuthenticateAsync(
            ApiKeyFormat.Create(ApiKeyEnvironment.Live, ApiKeyFormat.NewKeyId()), null, 0, CancellationToken.None);

        result.Refusal.Should().Be(KeyRefusal.UnknownKey);
    }
}

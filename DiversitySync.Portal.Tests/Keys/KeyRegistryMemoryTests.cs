using System.Security.Cryptography;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Tests.Keys;

/// <summary>Measures memory, so it runs alone: no other test's allocations in the heap it weighs.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>
/// The registry holds every key in memory, so its size is what a million keys cost the server: it is weighed here with
/// keys as the database hands them over (every row's strings its own copies), a few creators and scope sets among
/// them, as an organisation that issues a key per customer has.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public class KeyRegistryMemoryTests
{
    private const int Keys = 200_000;

    [Fact]
    public void The_registry_holds_a_key_in_at_most_200_bytes()
    {
        var registry = new KeyRegistry(new StaffPermissions(new ScopeCatalog(Options.Create(new ScopeOptions()))),
            new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), NullLogger<KeyRegistry>.Instance);
        string[] scopeSets = ["read:api_keys", "read:api_keys write:api_keys", "read:audit", "read:users read:audit"];
        var now = DateTime.UtcNow;

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < Keys; i++)
        {
            registry.Apply(new StoredKey(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                SHA256.HashData(BitConverter.GetBytes(i)), i % 3 == 0 ? ApiKeyEnvironment.Test : ApiKeyEnvironment.Live,
                new string(scopeSets[i % scopeSets.Length]), $"creator-{i % 5}", i % 10 == 0 ? null : now.AddDays(i % 400),
                i % 17 == 0 ? now : null, Revision: i, Fields: i % 50 == 0 ? """{"staff":["name"]}""" : null,
                Replaced: i % 200 == 0, AllowedIps: i % 100 == 0 ? "10.0.0.0/8" : null));
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(registry);

        ((after - before) / Keys).Should().BeLessThanOrEqualTo(200);
    }
}

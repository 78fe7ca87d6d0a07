using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Keys;

/// <summary>
/// Key names for the audit log and /v1's caller, which the registry does not hold for every key: each is read from
/// the database once, on the key's first use in this process, and kept with the key (names never change).
/// </summary>
public sealed class KeyNames(IServiceScopeFactory scopes, ILogger<KeyNames> logger)
{
    public async ValueTask<string> OfAsync(KeyEntry key, CancellationToken cancellationToken)
    {
        if (key.Name is { } known) return known;
        var keyId = key.KeyId;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var name = await db.ApiKeys.AsNoTracking().Where(k => k.KeyId == keyId).Select(k => k.Name)
                .FirstOrDefaultAsync(cancellationToken);
            return name is null ? keyId : key.Name = name;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The key was judged from memory; an unreadable database must not refuse it: name it by its id.
            logger.LogWarning(exception, "Could not read the name of key {KeyId}", keyId);
            return keyId;
        }
    }
}

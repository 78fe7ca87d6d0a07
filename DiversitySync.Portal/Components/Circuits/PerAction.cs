namespace DiversitySync.Portal.Components.Circuits;

/// <summary>
/// A service scope (and so a database context) per action on a circuit, never one for the circuit's life: a
/// circuit lives for hours, a DbContext would keep stale entities and is not safe for overlapping calls.
/// </summary>
public sealed class PerAction(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> action) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}

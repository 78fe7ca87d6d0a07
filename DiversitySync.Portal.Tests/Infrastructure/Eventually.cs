namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>Waiting for another part of the system (a poll, a notification, a recovery) to act.</summary>
public static class Eventually
{
    /// <summary>
    /// Sends until the status arrives; the deadline (30 s unless given) keeps a broken build from hanging, it is not a
    /// timing assertion. The last answer is returned for the test to assert on.
    /// </summary>
    public static async Task<HttpResponseMessage> StatusAsync(Func<Task<HttpResponseMessage>> send,
        HttpStatusCode wanted, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var response = await send();
            if (response.StatusCode == wanted || DateTime.UtcNow > deadline) return response;
            await Task.Delay(100);
        }
    }
}

namespace DiversitySync.Portal.Data;

/// <summary>The one-time token of the setup link that creates the first Owner. Stored as a SHA-256 hash only.</summary>
public sealed class SetupToken
{
    public int Id { get; set; }
    public required byte[] TokenHash { get; init; }
    public required DateTime ExpiresAt { get; init; }
}

namespace DiversitySync.Portal.Data;

/// <summary>
/// The database cannot be used as configured: a provider without its connection string, or a database behind the
/// migrations while the server may not migrate it. An operator's problem, told in one sentence (the CLI prints it
/// as its error line).
/// </summary>
public sealed class DatabaseSetupException(string message) : InvalidOperationException(message);

namespace DiversitySync.Portal.Tokens;

/// <summary>How the client presented its key.</summary>
public enum ClientAuthMethod
{
    /// <summary>Authorization: Bearer &lt;key&gt; (the documented form).</summary>
    BearerHeader,
    /// <summary>JSON body {"key": "&lt;key&gt;"} (the documented form).</summary>
    JsonBody,
    /// <summary>HTTP Basic: client_id = key id, client_secret = key (RFC 6749 §2.3.1).</summary>
    BasicHeader,
    /// <summary>client_id and client_secret form fields (RFC 6749 §2.3.1).</summary>
    FormBody,
    /// <summary>Nothing was sent.</summary>
    None,
}

/// <summary>A token request that has the right shape; nothing about the key has been checked yet.</summary>
public sealed record TokenRequest(ClientAuthMethod Method, string Key, string? ClientId,
    IReadOnlyList<string> Scopes) : IClientRequest
{
    public override string ToString() => $"TokenRequest {{ Method = {Method}, ClientId = {ClientId} }}";
}

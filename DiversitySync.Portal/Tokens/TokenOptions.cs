using System.ComponentModel.DataAnnotations;

namespace DiversitySync.Portal.Tokens;

public sealed class TokenOptions
{
    public const string Section = "Tokens";

    /// <summary>The iss claim and RFC 8414 issuer. Empty: Portal:PublicUrl.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The aud claim: the identifier of the /v1 API and of any service that trusts these tokens.</summary>
    [Required]
    public string Audience { get; set; } = "diversitysync-api";

    [Range(60, 3600)]
    public int LifetimeSeconds { get; set; } = 900;

    /// <summary>
    /// Leeway for exp and nbf on /v1. At most 30 s: the library default of 300 s would let a 15-minute token live 20
    /// (J-06).
    /// </summary>
    [Range(0, 30)]
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// RS256 by default, as the published API documents and RFC 9068 requires; PS256 or ES256 on request (README).
    /// </summary>
    [Required, AllowedValues("RS256", "PS256", "ES256")]
    public string Algorithm { get; set; } = "RS256";

    [Range(2048, 8192)]
    public int RsaKeySize { get; set; } = 2048;

    /// <summary>A PEM private key to sign with instead of the generated, database-held keys (K-07).</summary>
    public string? SigningKeyFile { get; set; }
}

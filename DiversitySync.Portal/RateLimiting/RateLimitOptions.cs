using System.ComponentModel.DataAnnotations;

namespace DiversitySync.Portal.RateLimiting;

/// <summary>
/// Limits for the machine endpoints (T-08) and portal sign-in (P-08). An operator or a load test can raise them, or set
/// RateLimits__Enabled=false, through environment variables.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Every POST /oauth/token from one client IP, checked before any other work.</summary>
    [Required] public Window TokenPerIp { get; set; } = new() { PermitLimit = 120, WindowSeconds = 60 };

    /// <summary>Token exchanges of one key, counted once the key is proven (so nobody can use up another's).</summary>
    [Required] public Window TokenPerKey { get; set; } = new() { PermitLimit = 60, WindowSeconds = 60 };

    /// <summary>Failed client authentications from one client IP: stricter, against guessing.</summary>
    [Required] public Window FailedTokenPerIp { get; set; } = new() { PermitLimit = 20, WindowSeconds = 300 };

    /// <summary>/v1 requests of one key, counted once its token is validated.</summary>
    [Required] public Window ApiPerKey { get; set; } = new() { PermitLimit = 600, WindowSeconds = 60 };

    /// <summary>
    /// Failed portal sign-ins from one client IP, on top of each account's lockout after 10 failures.
    /// </summary>
    [Required] public Window FailedSignInPerIp { get; set; } = new() { PermitLimit = 20, WindowSeconds = 900 };

    /// <summary>Reverse proxies whose X-Forwarded-For is believed. Empty: the client IP is the connection's.</summary>
    public List<string> KnownProxies { get; set; } = [];

    public sealed class Window
    {
        [Range(1, 10_000_000)] public int PermitLimit { get; set; }
        [Range(1, 86_400)] public int WindowSeconds { get; set; }
    }
}

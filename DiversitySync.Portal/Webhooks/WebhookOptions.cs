namespace DiversitySync.Portal.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Allows receivers on loopback, private and link-local addresses, and http:// to them (tests, in-house receivers).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// How long a receiver has to answer. An attempt's lease is this plus 5 s: after a crash, its delivery is retried
    /// then.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// False: this instance neither sends deliveries nor runs the expiry reminders (others do; events are still
    /// written).
    /// </summary>
    public bool Dispatch { get; set; } = true;
}

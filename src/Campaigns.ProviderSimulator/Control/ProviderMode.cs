namespace Campaigns.ProviderSimulator.Control;

/// <summary>A provider's state as a drill sets it (<c>PUT /control/providers/{provider}</c>).</summary>
public enum ProviderMode
{
    /// <summary>Answers by the rules.</summary>
    Up,
    /// <summary>503 to every send (a refused connection cannot be made from inside: stop the resource for that).</summary>
    Unavailable,
    /// <summary>429 with <c>Retry-After</c> to every send.</summary>
    RateLimited,
}

/// <summary>A provider's mode and, when rate-limited, the <c>Retry-After</c> it answers with.</summary>
public sealed record ModeSetting(ProviderMode Mode, int RetryAfterSeconds = 1)
{
    public static readonly ModeSetting Up = new(ProviderMode.Up);
}

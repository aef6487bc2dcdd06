using System.ComponentModel.DataAnnotations;

namespace Campaigns.Worker.Providers;

/// <summary>
/// Each provider's circuit breaker (<c>Providers:Circuit:</c>), per process: it opens within seconds of
/// an outage so traffic moves to the next provider, and a half-open probe brings it back.
/// </summary>
public sealed class ProviderCircuitOptions
{
    public const string SectionName = "Providers:Circuit";

    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling window before the ratio counts (Polly's minimum is 2).</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

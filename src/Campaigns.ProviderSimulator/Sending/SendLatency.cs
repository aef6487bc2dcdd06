using System.Diagnostics;
using Campaigns.ProviderSimulator.Options;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.Sending;

/// <summary>
/// How long a send takes to answer: drawn when the request arrives, so work done meanwhile (an early
/// receipt posted before the answer) is part of it, not added to it.
/// </summary>
public sealed class SendLatency(IOptions<SimulatorOptions> options)
{
    private readonly SimulatorOptions _options = options.Value;

    public Deadline Start() =>
        new(Stopwatch.GetTimestamp(), TimeSpan.FromMilliseconds(Random.Shared.Next(_options.MinLatencyMs, _options.MaxLatencyMs + 1)));

    /// <summary>A <c>timeout</c> outcome: holds the request longer than the caller waits (or until it hangs up).</summary>
    public async Task<bool> HangAsync(CancellationToken requestAborted)
    {
        try
        {
            await Task.Delay(_options.TimeoutHangMs, requestAborted);
            return true;
        }
        catch (OperationCanceledException) when (requestAborted.IsCancellationRequested)
        {
            return false;
        }
    }

    public readonly record struct Deadline(long StartedAt, TimeSpan Latency)
    {
        /// <summary>Waits for what is left of the latency.</summary>
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            var left = Latency - Stopwatch.GetElapsedTime(StartedAt);
            return left > TimeSpan.Zero ? Task.Delay(left, cancellationToken) : Task.CompletedTask;
        }
    }
}

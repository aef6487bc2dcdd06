using System.Globalization;
using Campaigns.Core.Domain;

namespace Campaigns.Benchmarks.Graph;

/// <summary>The worker configuration a scenario runs with, given to the worker processes as environment.</summary>
public sealed record WorkerSettings(int MinLatencyMs, int MaxLatencyMs, double SuccessRate, int Concurrency)
{
    /// <summary>Extra settings given to every scenario's workers (experiments).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Sends go through the provider simulator by the AppHost's chain (sms: africastalking → twilio), not
    /// the in-process mock; the latency and success rate then describe the simulator's answers.
    /// </summary>
    public bool Simulated { get; init; }

    /// <summary>The mock provider answering at once, always successfully: only the pipeline's own cost is left.</summary>
    public static WorkerSettings ZeroLatency(int concurrency) => new(0, 0, 1.0, concurrency);

    /// <summary>The mock provider of the original design: 50–200 ms, 92% success.</summary>
    public static WorkerSettings DefaultLatency(int concurrency) => new(50, 200, 0.92, concurrency);

    /// <summary>The provider simulator at its defaults: 50–200 ms, every send accepted (receipts decide delivery).</summary>
    public static WorkerSettings Simulator(int concurrency) =>
        new(SimulatorSettings.MinLatencyMs, SimulatorSettings.MaxLatencyMs, 1.0, concurrency) { Simulated = true };

    public const int MaxAttempts = 3;

    /// <summary>Worker:RetryBaseDelay, given to the workers explicitly: the ideal counts the backoff it makes.</summary>
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromSeconds(1);

    private const string SmsChain = "Providers__Sms__Chain__";
    private const string WhatsAppChain = "Providers__WhatsApp__Chain__";

    public double MeanLatencySeconds => (MinLatencyMs + MaxLatencyMs) / 2.0 / 1000.0;

    /// <summary>Attempts per message: 1 + p + p² + … up to <see cref="MaxAttempts"/>, p the failure rate.</summary>
    public double ExpectedAttemptsPerMessage =>
        Enumerable.Range(0, MaxAttempts).Sum(attempt => Math.Pow(1 - SuccessRate, attempt));

    /// <summary>Attempts per second the concurrency allows at best, per worker process, as messages per second.</summary>
    public double IdealPerSecond => MeanLatencySeconds <= 0
        ? double.PositiveInfinity
        : Concurrency / MeanLatencySeconds / ExpectedAttemptsPerMessage;

    /// <summary>
    /// The least a campaign's end waits for its last messages' retries, however fast the pipeline: the shortest
    /// backoffs (jitter at its lowest) before attempts 2..<see cref="MaxAttempts"/>, each followed by the shortest
    /// call. Among the thousands of messages of a campaign's last moments some fail every attempt but the last
    /// (0.64% at 92% success), so the last message's chain is practically always the full one. Without it the
    /// ideal was out of reach by design: a simulation of a perfect pipeline (100,000 messages, 512 slots, these
    /// latencies and this policy) ends 2.6 s after the attempts alone would, at 91% of the attempts-only ideal.
    /// </summary>
    public double MinimumRetryTailSeconds => SuccessRate >= 1
        ? 0
        : Enumerable.Range(1, MaxAttempts - 1).Sum(failed =>
            Backoff.Compute(failed, RetryBaseDelay, TimeSpan.MaxValue, jitterSample: 0).TotalSeconds + MinLatencyMs / 1000.0);

    /// <summary>
    /// Messages per second of a perfect pipeline on <paramref name="replicas"/> workers: every attempt back to back
    /// on every slot (<see cref="IdealPerSecond"/>), then the retry chain of the last messages (<see cref="MinimumRetryTailSeconds"/>).
    /// </summary>
    public double IdealPerSecondFor(int messages, int replicas)
    {
        var attempts = messages / (IdealPerSecond * replicas);
        return messages / (attempts + MinimumRetryTailSeconds);
    }

    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var environment = new Dictionary<string, string>(Extra)
            {
                ["Worker__Concurrency"] = Concurrency.ToString(CultureInfo.InvariantCulture),
                ["Worker__MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture),
                ["Worker__RetryBaseDelay"] = RetryBaseDelay.ToString("c", CultureInfo.InvariantCulture),
            };
            if (!Simulated)
            {
                environment["Sender__MinLatencyMs"] = MinLatencyMs.ToString(CultureInfo.InvariantCulture);
                environment["Sender__MaxLatencyMs"] = MaxLatencyMs.ToString(CultureInfo.InvariantCulture);
                environment["Sender__SuccessRate"] = SuccessRate.ToString(CultureInfo.InvariantCulture);
                environment[SmsChain + "0"] = ProviderName.Mock;
                environment[WhatsAppChain + "0"] = ProviderName.Mock;
            }
            return environment;
        }
    }

    /// <summary>
    /// Writes these settings into a starting replica's environment. With the mock, the AppHost's
    /// provider chains (the simulator's) are dropped first: the mock stands alone in a chain.
    /// </summary>
    public void ApplyTo(IDictionary<string, object> environment)
    {
        if (!Simulated)
        {
            foreach (var name in environment.Keys.Where(n => n.StartsWith(SmsChain, StringComparison.Ordinal)
                         || n.StartsWith(WhatsAppChain, StringComparison.Ordinal)).ToList())
            {
                environment.Remove(name);
            }
        }
        foreach (var (name, value) in Environment)
        {
            environment[name] = value;
        }
    }

    /// <summary>Records compare their dictionaries by reference: settings are equal when their environments are.</summary>
    public bool Equals(WorkerSettings? other) =>
        other is not null && Environment.Count == other.Environment.Count
        && Environment.All(pair => other.Environment.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public override int GetHashCode() => HashCode.Combine(MinLatencyMs, MaxLatencyMs, SuccessRate, Concurrency, Simulated);
}

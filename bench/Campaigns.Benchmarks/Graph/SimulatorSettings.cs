using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Campaigns.Benchmarks.Graph;

/// <summary>
/// The provider simulator as the benchmark runs it: its default behaviour (every send accepted, receipts
/// at the default rates and delays), the answer latency given explicitly so that the ideal of the
/// scenario sending through it is computed from what it runs with, and quiet logs.
/// </summary>
public static class SimulatorSettings
{
    /// <summary>The simulator's default send latency (<c>Simulator:MinLatencyMs</c>, <c>MaxLatencyMs</c>), as the mock's.</summary>
    public const int MinLatencyMs = 50;

    public const int MaxLatencyMs = 200;

    public static IResourceBuilder<ProjectResource> Apply(IResourceBuilder<ProjectResource> simulator) => simulator
        .WithEnvironment("Simulator__MinLatencyMs", MinLatencyMs.ToString(CultureInfo.InvariantCulture))
        .WithEnvironment("Simulator__MaxLatencyMs", MaxLatencyMs.ToString(CultureInfo.InvariantCulture))
        // A held campaign's receipts (about two a message) all fit.
        .WithEnvironment("Simulator__ReceiptQueueCapacity", "2000000")
        .WithEnvironment("Logging__LogLevel__Default", "Warning");
}

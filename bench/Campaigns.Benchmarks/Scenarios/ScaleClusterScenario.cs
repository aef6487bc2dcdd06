using Campaigns.Benchmarks.Graph;
using Campaigns.Benchmarks.Report;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// <c>scale_cluster</c>: scale's delivery (the default mock latency, <c>--replicas</c> workers) on a graph whose Redis
/// is a local cluster of three masters, the queue in one shard per master: what the cluster costs, and that the
/// workers read every shard on every master. It starts a graph of its own, so it runs after the others.
/// </summary>
public static class ScaleClusterScenario
{
    public static async Task<DeliveryResult> RunAsync(BenchmarkOptions options, BenchmarkReport report, TextWriter log,
        CancellationToken cancellationToken)
    {
        await using var graph = await BenchGraph.StartAsync(options.ScaleReplicas, log, cancellationToken, redisCluster: true);
        await using var context = await BenchmarkRunner.CreateContextAsync(graph, options, report, log, options.DeliverMessages, cancellationToken);
        return await DeliverScenario.DefaultLatencyAsync(context, "scale_cluster", options.ScaleReplicas, cancellationToken);
    }
}

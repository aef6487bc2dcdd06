using Campaigns.AppHost.Providers;
using Campaigns.Benchmarks.Graph;
using Campaigns.Benchmarks.Processes;

namespace Campaigns.Benchmarks.Measure;

/// <summary>
/// CPU seconds spent by each part of the graph between two readings: where a scenario's time went on
/// a machine where everything shares two cores.
/// </summary>
public sealed class CpuMeter(BenchGraph graph)
{
    public sealed record Reading(IReadOnlyDictionary<string, double> Seconds, DateTime At);

    public async Task<Reading> ReadAsync(CancellationToken cancellationToken)
    {
        var seconds = new Dictionary<string, double>();
        var counted = new HashSet<int>();
        async Task<double> Sum(string resource, int replicas)
        {
            var total = 0.0;
            foreach (var pid in await graph.Resources.ProcessIdsAsync(resource, replicas, cancellationToken))
            {
                foreach (var member in ProcFs.Tree(pid).Where(counted.Add))
                {
                    total += ProcFs.CpuSeconds(member);
                }
            }
            return total;
        }
        if (ProcFs.Available)
        {
            seconds["postgres"] = await Sum("postgres", 1);
            seconds["redis"] = 0;
            foreach (var redis in graph.RedisResources)
            {
                seconds["redis"] += await Sum(redis, 1);
            }
            seconds["api"] = await Sum("api", 1);
            seconds["worker"] = await Sum("worker", graph.WorkerReplicas);
            seconds["simulator"] = await Sum(SimulatedProviders.ResourceName, 1);
            var self = Environment.ProcessId;
            counted.Add(self);
            seconds["harness"] = ProcFs.CpuSeconds(self);
            // DCP, its proxies and the dotnet run launchers.
            seconds["orchestration"] = ProcFs.Tree(self).Where(counted.Add).Sum(ProcFs.CpuSeconds);
        }
        return new Reading(seconds, DateTime.UtcNow);
    }

    /// <summary>CPU seconds per part between two readings, plus the wall-clock seconds between them.</summary>
    public static IReadOnlyDictionary<string, double> Between(Reading before, Reading after)
    {
        var split = after.Seconds.ToDictionary(p => p.Key,
            p => Math.Round(Math.Max(0, p.Value - before.Seconds.GetValueOrDefault(p.Key)), 2));
        split["wall"] = Math.Round((after.At - before.At).TotalSeconds, 2);
        return split;
    }
}

using Campaigns.Benchmarks.Graph;
using Campaigns.Benchmarks.Processes;

namespace Campaigns.Benchmarks.Measure;

/// <summary>Peak resident memory (VmHWM) of the API and worker processes, the highest seen over the run.</summary>
public sealed class MemoryPeaks(BenchGraph graph)
{
    public double WorkerPeakMb { get; private set; }

    public double ApiPeakMb { get; private set; }

    /// <summary>Reads the high-water marks now (before a worker is stopped: a restarted process starts afresh).</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        foreach (var pid in await graph.Resources.ProcessIdsAsync("worker", graph.WorkerReplicas, cancellationToken))
        {
            WorkerPeakMb = Math.Max(WorkerPeakMb, ProcFs.PeakRssMb(pid));
        }
        foreach (var pid in await graph.Resources.ProcessIdsAsync("api", 1, cancellationToken))
        {
            ApiPeakMb = Math.Max(ApiPeakMb, ProcFs.PeakRssMb(pid));
        }
    }
}

using Campaigns.Benchmarks.Processes;

namespace Campaigns.Benchmarks.Graph;

/// <summary>
/// Proof that the running workers are the ones a scenario asked for: their number, and the settings
/// in the environment each process was started with.
/// </summary>
public static class WorkerCheck
{
    public static async Task<IReadOnlyList<int>> EnsureAsync(BenchGraph graph, int replicas, WorkerSettings settings,
        CancellationToken cancellationToken)
    {
        var pids = await graph.Resources.ProcessIdsAsync("worker", graph.WorkerReplicas, cancellationToken);
        if (pids.Count != replicas)
        {
            throw new InvalidOperationException($"{pids.Count} workers are running; the scenario needs {replicas}");
        }
        if (!ProcFs.Available)
        {
            return pids;
        }
        foreach (var pid in pids)
        {
            foreach (var (name, expected) in settings.Environment)
            {
                var actual = ProcFs.EnvironmentVariable(pid, name);
                if (actual != expected)
                {
                    throw new InvalidOperationException($"Worker {pid} runs with {name}={actual ?? "(unset)"}, not {expected}");
                }
            }
        }
        return pids;
    }
}

using System.Diagnostics;

namespace Campaigns.Benchmarks.Processes;

/// <summary>
/// Waits until processes that were just made busy are idle again. After a warm-up the .NET runtime goes on compiling what
/// it made hot, in the background (tiered JIT with dynamic PGO: an instrumented tier, then the optimized one): a profile
/// of deliver_simulator found that JIT was four fifths of the worker's CPU and three fifths of the simulator's eight
/// seconds into the measured send (session 14). A service that has run for a while has long finished it, so the measured
/// step starts once the processes are quiet.
/// </summary>
public static class QuietProcesses
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>A process at most this busy over a window is quiet: 5% of a core.</summary>
    private const double QuietShareOfACore = 0.05;

    /// <returns>How long it waited; at most <paramref name="atMost"/>, quiet or not.</returns>
    public static async Task<TimeSpan> WaitAsync(IReadOnlyCollection<int> pids, TimeSpan atMost, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (!ProcFs.Available || pids.Count == 0)
        {
            return TimeSpan.Zero;
        }
        while (Stopwatch.GetElapsedTime(started) < atMost)
        {
            var before = pids.Select(ProcFs.CpuSeconds).ToArray();
            await Task.Delay(Window, cancellationToken);
            var busiest = pids.Select((pid, i) => ProcFs.CpuSeconds(pid) - before[i]).Max();
            if (busiest <= QuietShareOfACore * Window.TotalSeconds)
            {
                break;
            }
        }
        return Stopwatch.GetElapsedTime(started);
    }
}

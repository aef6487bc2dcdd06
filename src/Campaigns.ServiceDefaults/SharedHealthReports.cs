using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Campaigns.ServiceDefaults;

/// <summary>
/// Runs the health checks at most once per <see cref="Duration"/>, healthy or not, for every caller: a flood of
/// <c>/health</c> probes reaches Postgres and Redis once per period, and the probes that arrive while a run is in
/// progress share it. The run belongs to no caller, so a probe that hangs up neither cancels nor fails the others'
/// answer (the output cache's request locking, used before, handed the first request's cancellation to everyone
/// waiting on it). A run that throws is not kept: the next probe starts a fresh one.
/// </summary>
internal sealed class SharedHealthReports(HealthCheckService checks, IHostApplicationLifetime lifetime, TimeProvider time)
    : HealthCheckService
{
    /// <summary>Short enough that orchestrators (Aspire probes every few seconds) see a change at once.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(2);

    private static readonly object AllChecks = new();
    private readonly Lock _gate = new();
    // One run per predicate: /health passes none, /alive the same delegate on every call.
    private readonly Dictionary<object, Run> _runs = [];

    public override Task<HealthReport> CheckHealthAsync(
        Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default)
    {
        Run run;
        lock (_gate)
        {
            var key = predicate ?? AllChecks;
            if (!_runs.TryGetValue(key, out run!) || !run.IsCurrent(time, Duration))
            {
                run = new Run();
                run.Start(() => checks.CheckHealthAsync(predicate, lifetime.ApplicationStopping), time);
                _runs[key] = run;
            }
        }
        return run.Report.WaitAsync(cancellationToken);
    }

    private sealed class Run
    {
        private long _completedAt = -1;

        public Task<HealthReport> Report { get; private set; } = null!;

        public void Start(Func<Task<HealthReport>> check, TimeProvider time) => Report = RunAsync(check, time);

        public bool IsCurrent(TimeProvider time, TimeSpan duration)
        {
            if (!Report.IsCompleted)
            {
                return true;
            }
            var completedAt = Interlocked.Read(ref _completedAt);
            return Report.IsCompletedSuccessfully && completedAt >= 0 && time.GetElapsedTime(completedAt) < duration;
        }

        private async Task<HealthReport> RunAsync(Func<Task<HealthReport>> check, TimeProvider time)
        {
            // Off the caller's thread and outside its lock: the checks start synchronously.
            var report = await Task.Run(check);
            Interlocked.Exchange(ref _completedAt, time.GetTimestamp());
            return report;
        }
    }
}

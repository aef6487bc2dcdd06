using Campaigns.Core.Hosting;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// Every process joins the group under its own consumer name, so each crash or restart leaves a name
/// behind. Once such a consumer has been idle for <c>Worker:DeadConsumerIdle</c> (far longer than the
/// take-over idle time) and holds nothing pending, it is removed (XGROUP DELCONSUMER), so the group's
/// consumer list stays the set of live workers. Safe with many replicas: the check and the removal are
/// one atomic script, and a live consumer is never idle that long (it polls continuously).
/// </summary>
public sealed class DeadConsumerSweep(
    SendJobStream stream, WorkerMetrics metrics, IOptions<WorkerOptions> options, ILogger<DeadConsumerSweep> logger)
    : PeriodicService(logger)
{
    private readonly WorkerOptions _options = options.Value;

    protected override TimeSpan Interval =>
        TimeSpan.FromTicks(Math.Clamp(_options.DeadConsumerIdle.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var removed = await stream.RemoveDeadConsumersAsync(_options.DeadConsumerIdle, cancellationToken);
        if (removed > 0)
        {
            metrics.ConsumersRemoved(removed);
            Log.DeadConsumersRemoved(logger, removed);
        }
        return false;
    }
}

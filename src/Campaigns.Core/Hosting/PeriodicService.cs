using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Campaigns.Core.Hosting;

/// <summary>
/// A loop that runs one round of work every <see cref="Interval"/> (at once again when a round says
/// there is more), and survives Postgres or Redis going away: a failed round is logged, the loop
/// backs off and carries on.
/// Rounds run outside any trace, so an idle round makes no span (database spans exist only inside
/// ours, see <see cref="Data.PostgresConnections.TraceInsideOurSpans"/>); a loop opens its own named
/// span around the work it found.
/// </summary>
public abstract partial class PeriodicService(ILogger logger) : BackgroundService
{
    private static readonly TimeSpan DefaultMaxErrorDelay = TimeSpan.FromSeconds(30);

    protected abstract TimeSpan Interval { get; }

    /// <summary>The longest pause after failed rounds (they double up to it, or to <see cref="Interval"/> if longer).</summary>
    protected virtual TimeSpan MaxErrorDelay => DefaultMaxErrorDelay;

    /// <returns>True when there is probably more to do right away.</returns>
    protected abstract Task<bool> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Whatever was current when the host started this loop is not its parent.
        Activity.Current = null;
        var errorDelay = Interval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                bool more;
                try
                {
                    more = await RunOnceAsync(stoppingToken);
                    errorDelay = Interval;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    RoundFailed(logger, e, GetType().Name, errorDelay);
                    await Task.Delay(errorDelay, stoppingToken);
                    errorDelay = TimeSpan.FromTicks(Math.Min(errorDelay.Ticks * 2, Math.Max(MaxErrorDelay.Ticks, Interval.Ticks)));
                    continue;
                }
                if (!more)
                {
                    await Task.Delay(Interval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "{Loop} round failed; retrying in {Delay}")]
    private static partial void RoundFailed(ILogger logger, Exception exception, string loop, TimeSpan delay);
}

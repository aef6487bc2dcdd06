using System.Diagnostics;
using Campaigns.Benchmarks.Api;
using Campaigns.Benchmarks.Data;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// Waits until every receipt the provider simulator decided is posted and applied: nothing waiting in
/// its queue, its posted count steady between two looks, and nothing left in the API's receipt inbox.
/// Receipts the API refused (a bad signature), or the simulator gave up on or dropped, are reported.
/// </summary>
public static class SimulatorReceiptDrain
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<TimeSpan> WaitAsync(BenchContext context, SimulatorReceipts simulator, int messages,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(Math.Max(300, messages / 100.0)));
        var previous = -1L;
        while (true)
        {
            var counters = await simulator.ReadAsync(deadline.Token);
            if (counters.Pending == 0 && counters.Posted == previous
                && await ReceiptProgress.InboxAsync(context.Database, deadline.Token) == 0)
            {
                if (counters.Lost > 0)
                {
                    context.Log.WriteLine($"  WARNING: receipts the API never took (refused, abandoned, dropped): {counters}");
                }
                return Stopwatch.GetElapsedTime(started);
            }
            previous = counters.Posted;
            await Task.Delay(PollInterval, deadline.Token);
        }
    }
}

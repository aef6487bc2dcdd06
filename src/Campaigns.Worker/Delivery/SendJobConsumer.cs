using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// The consume loop: takes the free tickets (send slots, and a few claims ahead of them), reads as many jobs
/// (<see cref="SendJobReader"/>), claims them and reads on while the batch starts in the background
/// (<see cref="BatchStarter"/>: rate limit, provider calls on the <see cref="SendPipeline"/> as slots free), while
/// the <see cref="OutcomeFlusher"/> writes the outcomes and acknowledges their jobs. On shutdown: stop reading,
/// hand back the claims not started, let in-flight sends finish within the grace period, write their outcomes,
/// acknowledge, exit.
/// </summary>
public sealed class SendJobConsumer(
    SendJobReader reader,
    BatchStarter batches,
    SendPipeline pipeline,
    OutcomeFlusher flusher,
    ConsumerIdentity identity,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    ILogger<SendJobConsumer> logger) : BackgroundService
{
    // How long freed slots wait for company before a read: short, since every millisecond a slot waits
    // is a millisecond no send runs on it (4 ms instead of 10 took default-latency delivery from 80% to 82% of its ideal).
    private static readonly TimeSpan SlotPatience = TimeSpan.FromMilliseconds(4);
    // Time the flusher gets after the sends have drained, to write what is left, before it gives up.
    private static readonly TimeSpan FlushDeadline = TimeSpan.FromSeconds(10);

    private readonly WorkerOptions _options = options.Value;
    // Batches claimed and still starting (waiting for permits or slots).
    private readonly List<Task> _starting = [];

    /// <summary>Shutdown budget for the host: the grace period, plus time to write (unstarted claims handed back too) and acknowledge.</summary>
    public static TimeSpan ShutdownBudget(WorkerOptions options) =>
        options.ShutdownGracePeriod + FlushDeadline;

    // The slots SlotPatience waits for: a quarter of a batch, so a busy pipeline reads a few larger batches, not many of one.
    private int MinimumBatch => Math.Max(1, Math.Min(_options.BatchSize, _options.Concurrency) / 4);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var flushDeadline = new CancellationTokenSource();
        var flushing = flusher.RunAsync(pipeline.Outcomes, flushDeadline.Token);
        Log.ConsumerStarted(logger, identity.Name, _options.Concurrency, _options.BatchSize);
        try
        {
            await reader.JoinGroupAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!await ReadAndStartBatchAsync(stoppingToken))
                {
                    await reader.WaitBeforeNextReadAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Their claims not started are handed back (the stopping token cancels their waits) before the drain.
            await Task.WhenAll(_starting);
            Log.ConsumerStopping(logger, metrics.InFlight);
            await pipeline.DrainAsync(_options.ShutdownGracePeriod);
            flushDeadline.CancelAfter(FlushDeadline);
            await flushing;
            Log.ConsumerStopped(logger, identity.Name);
        }
    }

    /// <returns>False when nothing was read: the stream is empty, or reading failed.</returns>
    private async Task<bool> ReadAndStartBatchAsync(CancellationToken cancellationToken)
    {
        var slots = await pipeline.TakeSlotsAsync(_options.BatchSize, MinimumBatch, SlotPatience, cancellationToken);
        SendJobReader.ShardEntries read;
        try
        {
            read = await reader.ReadAsync(slots.Count, cancellationToken);
        }
        catch
        {
            slots.Dispose();
            throw;
        }
        if (read.Entries.Length == 0)
        {
            slots.Dispose();
            return false;
        }
        // The batch owns its tickets from here (and hands back the unused ones when it has started).
        _starting.RemoveAll(task => task.IsCompleted);
        _starting.Add(await batches.StartAsync(read, slots, cancellationToken));
        return true;
    }
}

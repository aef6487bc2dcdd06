using System.Diagnostics;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Reads this consumer's jobs from <c>campaign_sends</c>. StackExchange.Redis has no blocking reads,
/// so the stream is polled: again at once while it has work, ever more slowly while it is empty. Every
/// so often a read first takes over jobs another consumer has held too long (XAUTOCLAIM: that consumer
/// probably died). A consumer group lost with Redis's data is created again, and the loss reported
/// (<see cref="QueueLoss"/>) so the lost jobs are published again at once. It keeps the delays of the
/// one consume loop it serves.
/// With several shards a read takes one shard's jobs (a batch is acknowledged on its own shard), trying the shards in
/// turn from the one after the last read's: every shard with work gets its turn, so a backlog in one cannot starve
/// the others.
/// </summary>
public sealed class SendJobReader(
    SendJobStream stream, QueueLoss queueLoss, WorkerMetrics metrics, IOptions<WorkerOptions> options, ILogger<SendJobReader> logger)
{
    // A stream with work is polled again almost at once.
    private static readonly TimeSpan MinPollDelay = TimeSpan.FromMilliseconds(5);
    // An empty stream is polled ever more slowly, up to ten times a second: a retry or a new campaign waits at most this long.
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(100);
    // Redis away: the first retry comes soon, later ones double up to MaxErrorDelay so an outage is not hammered.
    private static readonly TimeSpan MinErrorDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(5);
    // Take-overs are looked for four times per JobReclaimIdle, so an idle job waits at most a quarter longer;
    // but at most once a second (each look scans the pending list) and at least every 15 seconds.
    private static readonly TimeSpan MinTakeOverInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTakeOverInterval = TimeSpan.FromSeconds(15);

    private enum NextRead { Now, AfterPollDelay, AfterErrorDelay, AfterGroupRecreated }

    private readonly WorkerOptions _options = options.Value;
    private TimeSpan _pollDelay = MinPollDelay;
    private TimeSpan _errorDelay = MinErrorDelay;
    private long _nextTakeOver = Stopwatch.GetTimestamp();
    private NextRead _next = NextRead.Now;
    private int _nextShard;
    private int _nextTakeOverShard;

    /// <summary>Entries read from one shard.</summary>
    public readonly record struct ShardEntries(int Shard, StreamEntry[] Entries)
    {
        public static readonly ShardEntries None = new(0, []);
    }

    private TimeSpan TakeOverInterval => TimeSpan.FromTicks(
        Math.Clamp(_options.JobReclaimIdle.Ticks / 4, MinTakeOverInterval.Ticks, MaxTakeOverInterval.Ticks));

    /// <summary>Joins the consumer group, creating it if missing; retries while Redis is away.</summary>
    public async Task JoinGroupAsync(CancellationToken cancellationToken)
    {
        var delay = MinErrorDelay;
        while (true)
        {
            try
            {
                await stream.EnsureGroupsAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.ReadFailed(logger, e, delay);
                await Task.Delay(delay, cancellationToken);
                delay = Doubled(delay, MaxErrorDelay);
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> jobs of one shard: idle ones taken over from other consumers when it is time to
    /// look, else new ones. Empty when every shard is, or the read failed (logged): then call
    /// <see cref="WaitBeforeNextReadAsync"/>, with the slots handed back, before reading again.
    /// </summary>
    public async Task<ShardEntries> ReadAsync(int count, CancellationToken cancellationToken)
    {
        try
        {
            var read = await TakeOverIdleAsync(count, cancellationToken);
            if (read.Entries.Length == 0)
            {
                read = await ReadNewAsync(count, cancellationToken);
            }
            _errorDelay = MinErrorDelay;
            if (read.Entries.Length > 0)
            {
                _pollDelay = MinPollDelay;
            }
            _next = read.Entries.Length > 0 ? NextRead.Now : NextRead.AfterPollDelay;
            return read;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (SendJobStream.IsMissingGroup(e))
            {
                // Redis restarted or lost its data: the retry driver re-publishes what was lost, now.
                Log.ConsumerGroupMissing(logger);
                queueLoss.Report();
                _next = NextRead.AfterGroupRecreated;
            }
            else
            {
                Log.ReadFailed(logger, e, _errorDelay);
                _next = NextRead.AfterErrorDelay;
            }
            return ShardEntries.None;
        }
    }

    /// <summary>New jobs of the first shard with any, from the one after the last read's.</summary>
    private async Task<ShardEntries> ReadNewAsync(int count, CancellationToken cancellationToken)
    {
        var shards = stream.Shards.Count;
        for (var tried = 0; tried < shards; tried++)
        {
            var shard = (_nextShard + tried) % shards;
            var entries = await stream.ReadAsync(shard, count, cancellationToken);
            if (entries.Length > 0)
            {
                _nextShard = (shard + 1) % shards;
                return new ShardEntries(shard, entries);
            }
        }
        return ShardEntries.None;
    }

    /// <summary>After an empty or failed read: the poll delay, the error delay, or the group created again.</summary>
    public async Task WaitBeforeNextReadAsync(CancellationToken cancellationToken)
    {
        switch (_next)
        {
            case NextRead.AfterPollDelay:
                await Task.Delay(_pollDelay, cancellationToken);
                _pollDelay = Doubled(_pollDelay, MaxPollDelay);
                break;
            case NextRead.AfterErrorDelay:
                await Task.Delay(_errorDelay, cancellationToken);
                _errorDelay = Doubled(_errorDelay, MaxErrorDelay);
                break;
            case NextRead.AfterGroupRecreated:
                await JoinGroupAsync(cancellationToken);
                break;
        }
        _next = NextRead.Now;
    }

    /// <summary>When it is time to look: the idle jobs of the first shard with any, from the one after the last found.</summary>
    private async Task<ShardEntries> TakeOverIdleAsync(int count, CancellationToken cancellationToken)
    {
        if (Stopwatch.GetTimestamp() < _nextTakeOver)
        {
            return ShardEntries.None;
        }
        _nextTakeOver = Stopwatch.GetTimestamp() + (long)(TakeOverInterval.TotalSeconds * Stopwatch.Frequency);
        var shards = stream.Shards.Count;
        for (var tried = 0; tried < shards; tried++)
        {
            var shard = (_nextTakeOverShard + tried) % shards;
            var entries = await stream.TakeOverIdleAsync(shard, _options.JobReclaimIdle, count, cancellationToken);
            if (entries.Length > 0)
            {
                _nextTakeOverShard = (shard + 1) % shards;
                metrics.JobsReclaimed(entries.Length);
                Log.JobsTakenOver(logger, entries.Length);
                return new ShardEntries(shard, entries);
            }
        }
        return ShardEntries.None;
    }

    private static TimeSpan Doubled(TimeSpan delay, TimeSpan max) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, max.Ticks));
}

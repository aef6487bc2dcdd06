namespace Campaigns.Worker.Delivery;

/// <summary>
/// Word that the send queue lost its jobs: the consumer group was missing (Redis restarted empty or was
/// flushed), so every job published before that is gone. The reader reports it; the retry driver then
/// publishes every queued message again at once, instead of waiting out the requeue horizon.
/// </summary>
public sealed class QueueLoss
{
    private int _reported;

    public bool IsReported => Volatile.Read(ref _reported) == 1;

    public void Report() => Interlocked.Exchange(ref _reported, 1);

    public void Acknowledge() => Interlocked.Exchange(ref _reported, 0);
}

namespace Campaigns.Worker.Telemetry;

/// <summary>The stream's last sampled state (by <see cref="QueueLagSampler"/>), read by gauges and the retry driver.</summary>
public sealed class QueueState
{
    private long _length;
    private long _pending;
    private long _lag;
    private long _sampledAtTicks;

    /// <summary>Entries in the stream: acknowledged entries are deleted, so this is waiting + in progress.</summary>
    public long Length => Interlocked.Read(ref _length);

    /// <summary>Entries delivered to a consumer and not yet acknowledged.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Entries not yet delivered to any consumer.</summary>
    public long Lag => Interlocked.Read(ref _lag);

    public bool IsFresh(TimeSpan maxAge) =>
        Environment.TickCount64 - Interlocked.Read(ref _sampledAtTicks) <= maxAge.TotalMilliseconds;

    public void Update(long length, long pending, long lag)
    {
        Interlocked.Exchange(ref _length, length);
        Interlocked.Exchange(ref _pending, pending);
        Interlocked.Exchange(ref _lag, lag);
        Interlocked.Exchange(ref _sampledAtTicks, Environment.TickCount64);
    }
}

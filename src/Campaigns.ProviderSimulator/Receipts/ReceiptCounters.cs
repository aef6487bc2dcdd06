namespace Campaigns.ProviderSimulator.Receipts;

/// <summary>What became of the receipts so far (<c>GET /control/receipts</c>), so a test can wait for them.</summary>
public sealed class ReceiptCounters
{
    private long _posted;
    private long _retried;
    private long _refused;
    private long _abandoned;
    private long _dropped;

    public void Posted() => Interlocked.Increment(ref _posted);

    public void Retried() => Interlocked.Increment(ref _retried);

    public void Refused() => Interlocked.Increment(ref _refused);

    public void Abandoned() => Interlocked.Increment(ref _abandoned);

    public void Dropped() => Interlocked.Increment(ref _dropped);

    public Snapshot Read(int pending) => new(pending, Interlocked.Read(ref _posted), Interlocked.Read(ref _retried),
        Interlocked.Read(ref _refused), Interlocked.Read(ref _abandoned), Interlocked.Read(ref _dropped));

    public void Reset()
    {
        Interlocked.Exchange(ref _posted, 0);
        Interlocked.Exchange(ref _retried, 0);
        Interlocked.Exchange(ref _refused, 0);
        Interlocked.Exchange(ref _abandoned, 0);
        Interlocked.Exchange(ref _dropped, 0);
    }

    /// <param name="Pending">Waiting for their time or for a retry.</param>
    /// <param name="Posted">Accepted by the webhook (2xx).</param>
    /// <param name="Retried">Posts answered 5xx or 429, or not answered, and tried again.</param>
    /// <param name="Refused">Answered 4xx (a bad signature, say): not tried again.</param>
    /// <param name="Abandoned">Given up after every attempt failed.</param>
    /// <param name="Dropped">Never queued: the queue was full.</param>
    public sealed record Snapshot(int Pending, long Posted, long Retried, long Refused, long Abandoned, long Dropped);
}

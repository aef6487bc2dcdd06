using System.Diagnostics;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// One batch read from the stream (one shard's: <see cref="Shard"/>, where its jobs are acknowledged). Its
/// <c>campaign_sends process</c> span stays open until the last send of the batch has finished, so the span shows
/// claim → record → sends.
/// </summary>
public sealed class JobBatch(Activity? activity, int shard = 0)
{
    public int Shard => shard;

    private int _remaining;
    private int _sent;
    private int _failed;

    public ActivityContext Context => activity?.Context ?? default;

    /// <summary>The batch span as a W3C traceparent (null when not traced), kept on its messages for their receipts.</summary>
    public string? TraceParent => activity is { } span
        ? $"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-{(span.Recorded ? "01" : "00")}"
        : null;

    private int _traced;

    /// <summary>
    /// Whether the next provider call of this batch gets its own span: the first few of each batch do,
    /// so a send of 100,000 messages makes a readable trace, not 100,000 spans.
    /// </summary>
    public bool TraceNextCall(int perBatch) => activity is not null && Interlocked.Increment(ref _traced) <= perBatch;

    public void Expect(int sends)
    {
        Interlocked.Add(ref _remaining, sends);
        if (sends == 0)
        {
            Finish();
        }
    }

    public void SendFinished(bool sent)
    {
        Interlocked.Increment(ref sent ? ref _sent : ref _failed);
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Finish();
        }
    }

    public void Fail(Exception exception)
    {
        activity?.AddException(exception);
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.Dispose();
    }

    private void Finish()
    {
        activity?.SetTag("campaigns.sends.succeeded", Volatile.Read(ref _sent));
        activity?.SetTag("campaigns.sends.failed", Volatile.Read(ref _failed));
        activity?.Dispose();
    }
}

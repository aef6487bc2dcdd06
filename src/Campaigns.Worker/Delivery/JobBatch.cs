using System.Diagnostics;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// One batch read from the stream. Its <c>campaign_sends process</c> span stays open until the last
/// send of the batch has finished, so the span shows claim → record → sends.
/// </summary>
public sealed class JobBatch(Activity? activity)
{
    private int _remaining;
    private int _sent;
    private int _failed;

    public ActivityContext Context => activity?.Context ?? default;

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

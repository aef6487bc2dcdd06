namespace Campaigns.Worker.Delivery;

/// <summary>
/// The pipeline slots taken for one batch of jobs, so the consumer never reads more jobs than it can
/// start at once. Each slot is either used by one send (<see cref="Start"/>; the send frees it when its
/// call ends) or handed back on <see cref="Dispose"/>: whatever fails in between, no slot leaks.
/// </summary>
public sealed class SendSlots(SendPipeline pipeline, int count) : IDisposable
{
    private int _unused = count;

    /// <summary>Slots taken: the most jobs the batch may read.</summary>
    public int Count { get; } = count;

    /// <summary>Starts sending a claimed message on one of these slots.</summary>
    public void Start(ClaimedMessage message)
    {
        if (_unused == 0)
        {
            throw new InvalidOperationException($"All {Count} slot(s) of this batch are in use");
        }
        _unused--;
        pipeline.Start(message);
    }

    /// <summary>Hands back the slots no send used.</summary>
    public void Dispose()
    {
        pipeline.ReleaseSlots(_unused);
        _unused = 0;
    }
}

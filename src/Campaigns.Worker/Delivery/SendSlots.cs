namespace Campaigns.Worker.Delivery;

/// <summary>
/// The pipeline tickets taken for one batch of jobs, so the consumer never reads more jobs than it can start at
/// once, or soon (<c>Worker:ClaimAhead</c>). Each ticket is either used by one send (<see cref="StartAsync"/>,
/// which waits for a free slot; the send frees both when its call ends) or handed back on <see cref="Dispose"/>:
/// whatever fails in between, no ticket leaks.
/// </summary>
public sealed class SendSlots(SendPipeline pipeline, int count) : IDisposable
{
    private int _unused = count;

    /// <summary>Tickets taken: the most jobs the batch may read.</summary>
    public int Count { get; } = count;

    /// <summary>Starts sending a claimed message as soon as a slot is free.</summary>
    public async ValueTask StartAsync(ClaimedMessage message, CancellationToken cancellationToken)
    {
        if (_unused == 0)
        {
            throw new InvalidOperationException($"All {Count} ticket(s) of this batch are in use");
        }
        await pipeline.StartAsync(message, cancellationToken);
        _unused--;
    }

    /// <summary>Hands back the tickets no send used.</summary>
    public void Dispose()
    {
        pipeline.ReleaseSlots(_unused);
        _unused = 0;
    }
}

using Campaigns.ProviderSimulator.Options;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.Receipts;

/// <summary>
/// Receipts waiting for their time, earliest first, in memory and bounded: a provider posts its
/// webhooks whatever becomes of them, so a full queue drops new receipts rather than slowing sends.
/// </summary>
public sealed class ReceiptQueue(IOptions<SimulatorOptions> options, TimeProvider time)
{
    private readonly int _capacity = options.Value.ReceiptQueueCapacity;
    private readonly PriorityQueue<Receipt, DateTimeOffset> _queue = new();
    private readonly Lock _lock = new();
    // Released when a receipt comes in, so a wait for a later one is cut short.
    private readonly SemaphoreSlim _arrived = new(0, 1);

    public int Capacity => _capacity;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <returns>False when the queue is full and the receipt was dropped.</returns>
    public bool TryAdd(Receipt receipt, DateTimeOffset due)
    {
        lock (_lock)
        {
            if (_queue.Count >= _capacity)
            {
                return false;
            }
            _queue.Enqueue(receipt, due);
            if (_arrived.CurrentCount == 0)
            {
                _arrived.Release();
            }
            return true;
        }
    }

    /// <summary>The next receipt once it is due; waits for it (or for one due sooner to arrive).</summary>
    public async Task<Receipt> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                if (_queue.TryPeek(out var receipt, out var due))
                {
                    wait = due - time.GetUtcNow();
                    if (wait <= TimeSpan.Zero)
                    {
                        _queue.Dequeue();
                        return receipt;
                    }
                }
                else
                {
                    wait = Timeout.InfiniteTimeSpan;
                }
            }
            await _arrived.WaitAsync(wait, cancellationToken);
        }
    }
}

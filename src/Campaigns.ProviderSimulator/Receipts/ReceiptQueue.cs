using Campaigns.ProviderSimulator.Options;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.Receipts;

/// <summary>
/// Receipts waiting for their time, earliest first, in memory and bounded: a provider posts its
/// webhooks whatever becomes of them, so a full queue drops new receipts rather than slowing sends.
/// While <see cref="Held"/>, nothing falls due: receipts gather until released (the benchmark times
/// sending apart from the receipt traffic that follows it).
/// </summary>
public sealed class ReceiptQueue(IOptions<SimulatorOptions> options, TimeProvider time)
{
    private readonly int _capacity = options.Value.ReceiptQueueCapacity;
    private readonly PriorityQueue<Receipt, DateTimeOffset> _queue = new();
    private readonly Lock _lock = new();
    // Released when a receipt comes in, so a wait for a later one is cut short.
    private readonly SemaphoreSlim _arrived = new(0, 1);
    private bool _held;

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

    public bool Held
    {
        get
        {
            lock (_lock)
            {
                return _held;
            }
        }
        set
        {
            lock (_lock)
            {
                _held = value;
                Signal();
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
            Signal();
            return true;
        }
    }

    private void Signal()
    {
        if (_arrived.CurrentCount == 0)
        {
            _arrived.Release();
        }
    }

    /// <summary>The next receipt once it is due; waits for it (or for one due sooner to arrive, or a release).</summary>
    public async Task<Receipt> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                if (_held)
                {
                    wait = Timeout.InfiniteTimeSpan;
                }
                else if (_queue.TryPeek(out var receipt, out var due))
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

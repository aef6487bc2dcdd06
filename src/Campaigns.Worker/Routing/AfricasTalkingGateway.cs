using Campaigns.Worker.Providers;
using Campaigns.Worker.Sending;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Routing;

/// <summary>
/// Africa's Talking's bulk API takes one text for many phones: messages with the same text that reach
/// the router within <see cref="Linger"/> go in one request (up to <c>MaxRecipientsPerRequest</c>), and
/// each caller gets its own phone's outcome. A campaign without per-recipient fields shares one text, so
/// a busy send costs a request per hundred messages. The claim says how many messages share a text
/// (<see cref="SendRequest.SameTextInClaim"/>): a request goes as soon as they are all in, and a text
/// nobody shares (a personalised one) goes at once, without waiting for company that cannot come.
/// </summary>
public sealed class AfricasTalkingGateway(AfricasTalkingClient client, IOptions<AfricasTalkingOptions> options) : IProviderGateway
{
    /// <summary>How long the first message of a text waits for company: short next to the provider's own latency.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PendingRequest> _open = new(StringComparer.Ordinal);

    public string Name => AfricasTalkingClient.Name;

    public bool CanSend(string channel, SendRequest request) => true;

    public Task<ProviderOutcome> SendAsync(string channel, SendRequest request, CancellationToken cancellationToken)
    {
        if (request.SameTextInClaim <= 1)
        {
            return SendAloneAsync(request, cancellationToken);
        }
        PendingRequest? full = null;
        Task<ProviderOutcome> outcome;
        lock (_gate)
        {
            if (!_open.TryGetValue(request.Content, out var pending) || !pending.CanTake(request.Phone))
            {
                // A phone twice would make its two entries indistinguishable: the first request goes now.
                if (pending is not null)
                {
                    _open.Remove(request.Content);
                    full = pending;
                }
                pending = new PendingRequest(request.Content);
                _open[request.Content] = pending;
                _ = LingerThenSendAsync(pending);
            }
            outcome = pending.Add(request.Phone, request.SameTextInClaim);
            if (pending.Count >= Math.Min(pending.Expected, options.Value.MaxRecipientsPerRequest))
            {
                _open.Remove(request.Content);
                _ = SendNowAsync(pending);
            }
        }
        if (full is not null)
        {
            _ = SendNowAsync(full);
        }
        return outcome.WaitAsync(cancellationToken);
    }

    private async Task<ProviderOutcome> SendAloneAsync(SendRequest request, CancellationToken cancellationToken) =>
        (await client.SendAsync([request.Phone], request.Content, cancellationToken))[0];

    private async Task LingerThenSendAsync(PendingRequest pending)
    {
        await Task.Delay(Linger, CancellationToken.None);
        lock (_gate)
        {
            if (_open.TryGetValue(pending.Text, out var open) && open == pending)
            {
                _open.Remove(pending.Text);
            }
        }
        await SendNowAsync(pending);
    }

    private async Task SendNowAsync(PendingRequest pending)
    {
        if (!pending.TryStart())
        {
            return;
        }
        try
        {
            // Not any caller's token: the request carries many messages; the client's own timeout bounds it.
            var outcomes = await client.SendAsync(pending.Phones, pending.Text, CancellationToken.None);
            pending.Complete(outcomes);
        }
        catch (Exception e)
        {
            pending.Fail(e);
        }
    }

    private sealed class PendingRequest(string text)
    {
        private readonly List<string> _phones = [];
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly List<TaskCompletionSource<ProviderOutcome>> _waiters = [];
        private int _started;

        public string Text { get; } = text;

        public int Count => _phones.Count;

        /// <summary>How many messages of this text the claims announced: the request need not wait past them.</summary>
        public int Expected { get; private set; }

        public IReadOnlyList<string> Phones => _phones;

        public bool CanTake(string phone) => Volatile.Read(ref _started) == 0 && !_seen.Contains(phone);

        public Task<ProviderOutcome> Add(string phone, int sameTextInClaim)
        {
            Expected = Math.Max(Expected, sameTextInClaim);
            var waiter = new TaskCompletionSource<ProviderOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            _phones.Add(phone);
            _seen.Add(phone);
            _waiters.Add(waiter);
            return waiter.Task;
        }

        public bool TryStart() => Interlocked.Exchange(ref _started, 1) == 0;

        public void Complete(IReadOnlyList<ProviderOutcome> outcomes)
        {
            for (var i = 0; i < _waiters.Count; i++)
            {
                _waiters[i].TrySetResult(outcomes[i]);
            }
        }

        public void Fail(Exception exception)
        {
            foreach (var waiter in _waiters)
            {
                waiter.TrySetException(exception);
            }
        }
    }
}

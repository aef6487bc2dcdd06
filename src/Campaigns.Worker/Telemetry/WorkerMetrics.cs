using System.Diagnostics;
using System.Diagnostics.Metrics;
using Campaigns.ServiceDefaults;

namespace Campaigns.Worker.Telemetry;

/// <summary>The worker's instruments. Tags are low-cardinality (channel, outcome): never an id.</summary>
public sealed class WorkerMetrics
{
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _windowDeferred;
    private readonly Counter<long> _retryDriverRequeued;
    private readonly Counter<long> _leasesExpired;
    private readonly Counter<long> _jobsReclaimed;
    private readonly Counter<long> _consumersRemoved;
    private readonly Counter<long> _rateLimitWaits;
    private readonly Histogram<double> _sendDuration;
    private readonly Counter<long> _providerCalls;
    private readonly Dictionary<string, Counter<long>> _receipted;
    private readonly Histogram<double> _receiptLag;
    private readonly Histogram<double> _providerCallDuration;
    private long _inFlight;

    public WorkerMetrics(IMeterFactory meterFactory, QueueState queue, Providers.ProviderCircuitStates circuits)
    {
        var meter = meterFactory.Create(CampaignsTelemetry.WorkerMeter);
        _sent = meter.CreateCounter<long>("campaigns.messages.sent", "{message}", "Messages delivered");
        _failed = meter.CreateCounter<long>("campaigns.messages.failed", "{message}", "Messages failed for good");
        _retried = meter.CreateCounter<long>("campaigns.messages.retried", "{message}", "Failed attempts that will be retried");
        _cancelled = meter.CreateCounter<long>("campaigns.messages.cancelled", "{message}", "Messages cancelled at claim (customer opted out)");
        _expired = meter.CreateCounter<long>("campaigns.messages.expired", "{message}", "Messages expired: their campaign's validity ended before they went out");
        _windowDeferred = meter.CreateCounter<long>("campaigns.messages.window_deferred", "{message}",
            "Claimed messages sent back to wait: their recipient's send window had closed");
        _retryDriverRequeued = meter.CreateCounter<long>("campaigns.retry_driver.requeued", "{message}",
            "Pending messages queued by the retry driver (reason: first_attempt, retry_due, job_lost)");
        _leasesExpired = meter.CreateCounter<long>("campaigns.leases.expired", "{message}",
            "Messages left sending past their lease, counted as a failed attempt (reason: retry, failed, cancelled)");
        _jobsReclaimed = meter.CreateCounter<long>("campaigns.jobs.reclaimed", "{job}",
            "Jobs taken over from a consumer that held them too long (XAUTOCLAIM)");
        _consumersRemoved = meter.CreateCounter<long>("campaigns.consumers.removed", "{consumer}",
            "Dead consumers removed from the group (idle, nothing pending)");
        _rateLimitWaits = meter.CreateCounter<long>("campaigns.rate_limit.waits", "{wait}",
            "Times a batch waited for per-channel send permits");
        _sendDuration = meter.CreateHistogram<double>("campaigns.send.duration", "ms", "Provider call duration");
        _providerCalls = meter.CreateCounter<long>("campaigns.provider.calls", "{call}",
            "Calls to each provider by outcome (accepted, permanent_failure, transient_failure, rate_limited, unknown, not_attempted): its error rate");
        _receipted = new Dictionary<string, Counter<long>>(StringComparer.Ordinal)
        {
            ["delivered"] = meter.CreateCounter<long>("campaigns.messages.delivered", "{message}", "Messages a receipt said reached the handset"),
            ["undelivered"] = meter.CreateCounter<long>("campaigns.messages.undelivered", "{message}", "Messages the network gave up on after a provider accepted them"),
            ["expired"] = meter.CreateCounter<long>("campaigns.messages.expired_at_provider", "{message}", "Messages a provider let expire after accepting them"),
            ["read"] = meter.CreateCounter<long>("campaigns.messages.read", "{message}", "Messages read for the first time (WhatsApp)"),
        };
        _receiptLag = meter.CreateHistogram<double>("campaigns.receipts.lag", "ms",
            "From a provider accepting a message to the receipt that decided it");
        _providerCallDuration = meter.CreateHistogram<double>("campaigns.provider.duration", "ms", "Duration of each provider's calls");
        meter.CreateObservableGauge("campaigns.sends.in_flight", () => Interlocked.Read(ref _inFlight), "{message}", "Sends in flight in this process");
        meter.CreateObservableGauge("campaigns.provider.circuit.open", circuits.Measure, "{circuit}",
            "1 while a provider's circuit is open (traffic goes to the next in its chain), 0 once closed");
        meter.CreateObservableGauge("campaigns.queue.length", () => queue.Length, "{job}", "Jobs in the stream (waiting or in progress)");
        meter.CreateObservableGauge("campaigns.queue.lag", () => queue.Lag, "{job}", "Jobs not yet delivered to a consumer");
        meter.CreateObservableGauge("campaigns.queue.pending", () => queue.Pending, "{job}", "Jobs delivered and not yet acknowledged");
    }

    public long InFlight => Interlocked.Read(ref _inFlight);

    public void SendStarted() => Interlocked.Increment(ref _inFlight);

    public void SendFinished(string channel, string outcome, double milliseconds)
    {
        Interlocked.Decrement(ref _inFlight);
        _sendDuration.Record(milliseconds, new TagList { { "channel", channel }, { "outcome", outcome } });
    }

    public void ProviderCalled(string provider, string outcome, double milliseconds)
    {
        var tags = new TagList { { "provider", provider }, { "outcome", outcome } };
        _providerCalls.Add(1, tags);
        _providerCallDuration.Record(milliseconds, tags);
    }

    /// <param name="status">delivered, undelivered, expired or read.</param>
    public void ReceiptMoved(string status)
    {
        if (_receipted.TryGetValue(status, out var counter))
        {
            counter.Add(1);
        }
    }

    public void ReceiptLag(double milliseconds) => _receiptLag.Record(milliseconds);

    public void Sent(string channel, long count = 1) => Add(_sent, channel, count);

    public void Failed(string channel, long count = 1) => Add(_failed, channel, count);

    public void Retried(string channel, long count = 1) => Add(_retried, channel, count);

    public void Cancelled(string channel, long count = 1) => Add(_cancelled, channel, count);

    public void Expired(string channel, long count = 1) => Add(_expired, channel, count);

    public void WindowDeferred(string channel, long count = 1) => Add(_windowDeferred, channel, count);


    /// <param name="reason">retry_due or job_lost.</param>
    public void RetryDriverRequeued(string reason, long count) => AddReason(_retryDriverRequeued, reason, count);


    /// <param name="reason">What the expired attempt led to: retry, failed or cancelled.</param>
    public void LeaseExpired(string reason, long count = 1) => AddReason(_leasesExpired, reason, count);

    public void JobsReclaimed(long count) => AddReason(_jobsReclaimed, "idle_consumer", count);

    public void ConsumersRemoved(long count) => AddReason(_consumersRemoved, "dead_consumer", count);

    public void RateLimitWaited(string channel) => Add(_rateLimitWaits, channel, 1);

    private static void AddReason(Counter<long> counter, string reason, long count)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    private static void Add(Counter<long> counter, string channel, long count)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>("channel", channel));
        }
    }
}

using System.Diagnostics;
using System.Threading.Channels;
using Campaigns.Worker.Options;
using Campaigns.Worker.Personalization;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Bounded concurrent sending. The consumer takes a ticket for every job it reads (<see cref="SendSlots"/>): one
/// per send slot plus <c>Worker:ClaimAhead</c>, so it never claims more than it can start at once and a few more
/// waiting for the next free slot. Each claimed message is sent on its own slot, and every finished call frees
/// its slot at once to a claim already waiting: the sender stays busy without waiting for reads, claims or whole
/// batches.
/// Each call is bounded (<c>Worker:SendTimeout</c>, well under the lease). Finished sends go to a channel
/// that <see cref="OutcomeFlusher"/> writes in batches; it holds at most two batches' worth of answers
/// (<see cref="OutcomeCapacity"/>), and a call whose answer finds it full keeps its slot until there is
/// room, so answers that cannot be written (Postgres away) stop new sends instead of piling up.
/// </summary>
/// <param name="personalization">AI personalization before each call (the worker always has it; a bare pipeline may not).</param>
public sealed class SendPipeline(
    MessageSenders senders, WorkerMetrics metrics, IOptions<WorkerOptions> options, ILogger<SendPipeline> logger,
    PersonalizationStep? personalization = null)
{
    // A message whose personalization could not be read or stored (Postgres or Redis away) waits this long, charged nothing.
    private static readonly TimeSpan PersonalizationRetryDelay = TimeSpan.FromSeconds(1);

    // How often a draining pipeline looks whether its last sends have finished.
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(10);
    // Abandoned calls get this long to notice the cancellation and free their slots before the channel closes.
    private static readonly TimeSpan AbandonedSendsWait = TimeSpan.FromSeconds(1);

    private readonly WorkerOptions _options = options.Value;
    // Sends running: one slot each.
    private readonly SemaphoreSlim _slots = new(options.Value.Concurrency, options.Value.Concurrency);
    // Jobs read and not yet finished: running sends plus claims waiting for a slot.
    private readonly SemaphoreSlim _tickets = new(Tickets(options.Value), Tickets(options.Value));
    // Not SingleReader: the single-reader variant cannot count, and the flusher sizes its batches by the count.
    private readonly Channel<FinishedSend> _outcomes = Channel.CreateBounded<FinishedSend>(OutcomeCapacity(options.Value));
    private readonly CancellationTokenSource _abandon = new();
    private long _active;

    public ChannelReader<FinishedSend> Outcomes => _outcomes.Reader;

    /// <summary>
    /// Answers that may wait to be written: two full outcome batches (so the flusher always finds a full
    /// one and never waits for company under load) or two rounds of sends, whichever is more.
    /// </summary>
    public static int OutcomeCapacity(WorkerOptions options) => 2 * Math.Max(options.Concurrency, options.OutcomeBatchSize);

    private static int Tickets(WorkerOptions options) => options.Concurrency + options.ClaimAheadOrDefault;

    /// <summary>
    /// Waits for at least one free ticket, then takes up to <paramref name="wanted"/>; waits up to
    /// <paramref name="patience"/> to gather <paramref name="minimum"/>, so that a busy pipeline reads
    /// a few larger batches rather than many batches of one.
    /// </summary>
    public async Task<SendSlots> TakeSlotsAsync(int wanted, int minimum, TimeSpan patience, CancellationToken cancellationToken)
    {
        await _tickets.WaitAsync(cancellationToken);
        var taken = 1;
        try
        {
            while (taken < wanted && _tickets.Wait(0))
            {
                taken++;
            }
            var deadline = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
            while (taken < minimum)
            {
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero || !await _tickets.WaitAsync(left, cancellationToken))
                {
                    break;
                }
                taken++;
            }
            while (taken < wanted && _tickets.Wait(0))
            {
                taken++;
            }
            return new SendSlots(this, taken);
        }
        catch (OperationCanceledException)
        {
            _tickets.Release(taken);
            throw;
        }
    }

    /// <summary>For <see cref="SendSlots"/>: tickets its batch did not use.</summary>
    public void ReleaseSlots(int count)
    {
        if (count > 0)
        {
            _tickets.Release(count);
        }
    }

    /// <summary>
    /// For <see cref="SendSlots"/>, on one of its tickets: waits for a free slot and starts sending there; the slot
    /// and the ticket are freed when the call ends.
    /// </summary>
    public async ValueTask StartAsync(ClaimedMessage message, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _active);
        metrics.SendStarted();
        _ = SendAsync(message);
    }

    /// <summary>
    /// Claims that will not be sent from here (a failed batch, a stopping worker): written by the flusher
    /// as handed back, charged no attempt, retried like any outcome while Postgres is away.
    /// </summary>
    public async Task HandBackAsync(IReadOnlyCollection<ClaimedMessage> messages)
    {
        try
        {
            foreach (var message in messages)
            {
                await _outcomes.Writer.WriteAsync(FinishedSend.HandedBack(message), _abandon.Token);
            }
            Log.ClaimsHandedBack(logger, messages.Count);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // The worker gave up on its last writes: the leases recover the rest.
        }
    }

    /// <summary>
    /// On shutdown, after reading has stopped: lets in-flight sends finish within the grace period,
    /// abandons the rest (their messages stay <c>sending</c> and the lease recovers them), then closes
    /// the outcome channel so the flusher can write what is left and stop.
    /// </summary>
    public async Task DrainAsync(TimeSpan gracePeriod)
    {
        await WaitForSendsAsync(gracePeriod);
        var abandoned = Interlocked.Read(ref _active);
        if (abandoned > 0)
        {
            Log.SendsAbandoned(logger, abandoned);
            await _abandon.CancelAsync();
            await WaitForSendsAsync(AbandonedSendsWait);
        }
        _outcomes.Writer.TryComplete();
    }

    private async Task WaitForSendsAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _active) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(DrainPollInterval, CancellationToken.None);
        }
    }

    private async Task SendAsync(ClaimedMessage message)
    {
        await Task.Yield();
        // A personalized campaign's text first, on the model's own clock (Personalization:Timeout), not the call's.
        var result = await PersonalizeAsync(message);
        var started = Stopwatch.GetTimestamp();
        using var call = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
        call.CancelAfter(_options.ProviderCallTimeout);
        try
        {
            if (result is not null || _abandon.IsCancellationRequested)
            {
                // Not personalized (handed back), or the worker gave up meanwhile (left to the lease).
            }
            else if (message.IsPastSendBy(started))
            {
                // The window closed (or the validity ended) while it waited here: no call starts. Back to pending at
                // once, no attempt charged; its next claim makes it wait for the next opening, or expires it.
                Log.SendDeadlinePassed(logger, message.Id, message.CampaignId);
                result = SendResult.NotSentFor(TimeSpan.Zero, "send window closed or validity ended before the call");
            }
            else
            {
                result = await senders.For(message.Channel).SendAsync(
                    message.ToRequest(traced: message.Batch.TraceNextCall(WorkerActivities.ProviderCallSpansPerBatch), started), call.Token);
            }
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            // Outcome unknown: left to the lease, retried later with the same idempotency key.
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested)
        {
            // Outcome unknown, but the answer must be written within the lease: a failed attempt, retried with the same key.
            Log.SendTimedOut(logger, message.Id, message.CampaignId, _options.ProviderCallTimeout);
            result = SendResult.Transient($"provider call timed out after {_options.ProviderCallTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception e)
        {
            Log.SenderThrew(logger, e, message.Id, message.CampaignId);
            result = SendResult.Transient($"sender error: {e.Message}");
        }
        try
        {
            metrics.SendFinished(message.Channel, result?.OutcomeTag ?? "abandoned", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            message.Batch.SendFinished(result?.Kind == SendResultKind.Sent);
            if (result is { } finished)
            {
                await _outcomes.Writer.WriteAsync(new FinishedSend(message, finished), _abandon.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException && _abandon.IsCancellationRequested)
        {
            // Abandoned while waiting for room: left to the lease.
        }
        finally
        {
            _slots.Release();
            _tickets.Release();
            Interlocked.Decrement(ref _active);
        }
    }

    /// <returns>Null to go on with the call; else the message goes back to pending without an attempt.</returns>
    private async Task<SendResult?> PersonalizeAsync(ClaimedMessage message)
    {
        if (personalization is null)
        {
            return null;
        }
        try
        {
            await personalization.PersonalizeAsync(message, _abandon.Token);
            return null;
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            Log.PersonalizationFailed(logger, e, message.Id, message.CampaignId);
            return SendResult.NotSentFor(PersonalizationRetryDelay, $"personalization could not be read or stored: {e.Message}");
        }
    }
}

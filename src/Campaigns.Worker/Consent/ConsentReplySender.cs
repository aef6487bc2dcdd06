using System.Diagnostics;
using Campaigns.Core.Hosting;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;

namespace Campaigns.Worker.Consent;

/// <summary>
/// Sends the confirmations keywords asked for (STOP, START, HELP) through the channel's provider chain,
/// like any message: a transient failure or no provider free is tried again after a pause (up to
/// <see cref="MaxAttempts"/>), a permanent one fails. A crash mid-send leaves the reply to be taken
/// again when its lease ends. Each round that sends something is one <c>consent replies</c> span.
/// </summary>
public sealed class ConsentReplySender(ConsentReplyStore store, MessageSenders senders, ILogger<ConsentReplySender> logger)
    : PeriodicService(logger)
{
    public const int MaxAttempts = 3;
    private const int BatchSize = 50;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(30);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var replies = await store.ClaimAsync(BatchSize, Lease, cancellationToken);
        if (replies.Count == 0)
        {
            return false;
        }
        using var activity = WorkerActivities.Source.StartActivity("consent replies", ActivityKind.Internal);
        activity?.SetTag("campaigns.consent.replies", replies.Count);
        var outcomes = await Task.WhenAll(replies.Select(reply => SendAsync(reply, cancellationToken)));
        await store.RecordAsync(outcomes, cancellationToken);
        foreach (var outcome in outcomes)
        {
            Log.ConsentReplyAttempted(logger, outcome.Id, outcome.Status, outcome.Provider, outcome.Error);
        }
        return replies.Count == BatchSize;
    }

    private async Task<ConsentReplyStore.Outcome> SendAsync(ConsentReplyStore.Reply reply, CancellationToken cancellationToken)
    {
        // Its own key space: a provider that honours idempotency keys must never take it for a campaign message.
        var request = new SendRequest(reply.Id, reply.Attempts, $"reply-{reply.Id}", reply.Phone, reply.Body);
        SendResult result;
        try
        {
            result = await senders.For(reply.Channel).SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = SendResult.Transient(e.Message);
        }
        var status = result.Kind switch
        {
            SendResultKind.Sent => "sent",
            SendResultKind.PermanentFailure => "failed",
            _ when reply.Attempts >= MaxAttempts => "failed",
            _ => "pending",
        };
        var delay = result.Kind == SendResultKind.NotSent ? Max(result.RetryAfter, RetryPause) : RetryPause;
        return new ConsentReplyStore.Outcome(reply.Id, reply.Attempts, status, result.Provider, result.ProviderMessageId,
            result.Error, delay);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

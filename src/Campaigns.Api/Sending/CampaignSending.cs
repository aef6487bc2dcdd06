using System.Diagnostics;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Telemetry;

namespace Campaigns.Api.Sending;

/// <summary>
/// Sends a campaign: attaches its audience in the request's transaction and, once that has committed,
/// queues the jobs of the messages due now and counts the send. The transaction is this request's
/// own, or the idempotency filter's when the request carries a key: then the key commits with the
/// messages, and nothing is queued before both are safe.
/// </summary>
public sealed class CampaignSending(RequestTransaction requestTransaction, CampaignSendWriter writer, ICommittedJobsPublisher jobs,
    ApiTelemetry telemetry, ILogger<CampaignSending> logger)
{
    public async Task<SendOutcome> SendAsync(long campaignId, SendCampaignRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = ApiTelemetry.ActivitySource.StartActivity("campaign send");
        activity?.SetTag("campaign.id", campaignId);

        Recipients recipients = request.CustomerIds is { } ids ? Recipients.FromIds(ids) : new Recipients.Matching(request.Audience!);
        await using var work = await requestTransaction.JoinAsync(cancellationToken);
        var outcome = await writer.AttachAudienceAsync(work.Connection, work.Transaction, campaignId, recipients, cancellationToken);
        if (outcome is SendOutcome.Accepted accepted)
        {
            activity?.SetTag("campaign.messages", accepted.Created);
            work.OnCommitted(ct => AnnounceAsync(campaignId, accepted, started, ct));
            await work.CommitAsync(cancellationToken);
        }
        return outcome;
    }

    private async Task AnnounceAsync(long campaignId, SendOutcome.Accepted accepted, long started, CancellationToken cancellationToken)
    {
        if (accepted.DispatchNow)
        {
            await jobs.PublishQueuedAsync(campaignId, accepted.QueuedAt, cancellationToken);
        }
        telemetry.SendsAccepted.Add(1);
        telemetry.MessagesAccepted.Add(accepted.Created);
        telemetry.SendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Log.SendAccepted(logger, campaignId, accepted.Created, accepted.Skipped.Total, accepted.Status);
    }
}

using Campaigns.Core.Hosting;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// Expires what a campaign's validity left unsent: every <c>Worker:SweepInterval</c> the state machine's
/// <c>expire_overdue_messages</c> (migration 0015) turns the pending messages of campaigns past their deadline,
/// paused ones included, into <c>expired</c>, a bounded batch per statement, then completes those campaigns.
/// Claims expire such messages too; this sweep finds the ones no job will bring to a claim (waiting for a
/// window or a backoff, or in a paused campaign). Idle rounds are one index probe and make no span.
/// </summary>
public sealed class ValidityExpirer(
    NpgsqlDataSource dataSource, WorkerMetrics metrics, IOptions<WorkerOptions> options, ILogger<ValidityExpirer> logger)
    : PeriodicService(logger)
{
    private const int BatchSize = 5_000;

    private sealed record ExpiredInCampaign(long CampaignId, string Channel, int Expired);

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var expired = (await connection.QueryAsync<ExpiredInCampaign>(new CommandDefinition(
            "SELECT campaign_id, channel, expired FROM expire_overdue_messages(@limit)", new { limit = BatchSize },
            cancellationToken: cancellationToken))).AsList();
        if (expired.Count == 0)
        {
            return false;
        }
        using var activity = WorkerActivities.StartBackgroundWork("messages expire", startedAt);
        var count = expired.Sum(e => e.Expired);
        activity?.SetTag("messaging.batch.message_count", count);
        activity?.SetTag("campaigns.campaign.count", expired.Count);
        foreach (var campaign in expired)
        {
            metrics.Expired(campaign.Channel, campaign.Expired);
        }
        Log.MessagesExpired(logger, count, expired.Count);
        // Committed (no transaction): the completion sees the expired counts.
        await CampaignCompletion.CompleteAsync(connection, [.. expired.Select(e => e.CampaignId)], cancellationToken);
        return count >= BatchSize;
    }
}

using Campaigns.Core.Hosting;
using Campaigns.Core.Queue;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// Dispatches <c>scheduled</c> campaigns whose <c>scheduled_at</c> has come and whose audience is
/// attached: an atomic status flip (<c>UPDATE … RETURNING</c>, so with many replicas each campaign is
/// dispatched once), then its pending messages are queued page by page (keyset on id, so a campaign of
/// a million messages is never held in memory). Should the process die half-way, the rest of the
/// messages are due for the retry driver, which queues them.
/// </summary>
public sealed class CampaignScheduler(
    NpgsqlDataSource dataSource,
    SendJobPublisher publisher,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    ILogger<CampaignScheduler> logger) : PeriodicService(logger)
{
    private const int CampaignsPerRound = 10;
    private const int PageSize = CampaignSendsStream.PublishBatchSize;

    private readonly WorkerOptions _options = options.Value;

    protected override TimeSpan Interval => _options.SchedulerInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        const string flip = """
            UPDATE campaigns SET status = 'sending', updated_at = now()
            WHERE id IN (
                SELECT id FROM campaigns
                WHERE status = 'scheduled' AND audience_attached_at IS NOT NULL AND scheduled_at <= now()
                ORDER BY scheduled_at
                LIMIT @limit
                FOR UPDATE SKIP LOCKED)
              AND status = 'scheduled'
            RETURNING id
            """;
        List<long> due;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<long>(new CommandDefinition(
                flip, new { limit = CampaignsPerRound }, cancellationToken: cancellationToken))).AsList();
        }
        foreach (var campaignId in due)
        {
            await DispatchAsync(campaignId, cancellationToken);
        }
        return due.Count == CampaignsPerRound;
    }

    private async Task DispatchAsync(long campaignId, CancellationToken cancellationToken)
    {
        // Skips rows the retry driver holds at this moment: it is queuing those itself.
        const string page = """
            WITH page AS (
                SELECT id FROM outbound_messages
                WHERE campaign_id = @campaignId AND status = 'pending' AND id > @after
                ORDER BY id
                LIMIT @limit
                FOR UPDATE SKIP LOCKED
            )
            UPDATE outbound_messages m
            SET next_attempt_at = now() + @requeueAfter, updated_at = now()
            FROM page
            WHERE m.id = page.id
            RETURNING m.id
            """;
        using var activity = WorkerActivities.StartBackgroundWork("campaign dispatch");
        activity?.SetTag("campaigns.campaign.id", campaignId);
        Log.CampaignDispatching(logger, campaignId);
        long after = 0, queued = 0;
        while (true)
        {
            List<long> ids;
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                ids = (await connection.QueryAsync<long>(new CommandDefinition(
                    page, new { campaignId, after, limit = PageSize, requeueAfter = _options.RequeueAfter }, cancellationToken: cancellationToken))).AsList();
            }
            if (ids.Count == 0)
            {
                break;
            }
            await publisher.PublishAsync(ids, cancellationToken);
            queued += ids.Count;
            after = ids.Max();
        }
        metrics.Requeued("scheduler", queued);
        Log.CampaignDispatched(logger, campaignId, queued);
    }
}

using Campaigns.Core.Hosting;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// Dispatches <c>scheduled</c> campaigns whose <c>scheduled_at</c> has come and whose audience is attached,
/// through the state machine's <c>dispatch_due_campaigns</c> (an atomic status flip, so with many replicas
/// each campaign is dispatched once). Its messages were written waiting until <c>scheduled_at</c>, so from
/// the flip on the retry driver queues them, at the pace the stream's backlog allows.
/// </summary>
public sealed class CampaignScheduler(
    NpgsqlDataSource dataSource,
    IOptions<WorkerOptions> options,
    ILogger<CampaignScheduler> logger) : PeriodicService(logger)
{
    /// <summary>Campaigns flipped per round; a full round runs again at once.</summary>
    private const int CampaignsPerRound = 10;

    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<long> due;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM dispatch_due_campaigns(@limit)", new { limit = CampaignsPerRound }, cancellationToken: cancellationToken))).AsList();
        }
        if (due.Count > 0)
        {
            using var activity = WorkerActivities.StartBackgroundWork("campaign dispatch");
            activity?.SetTag("campaigns.dispatched", due.Count);
            foreach (var campaignId in due)
            {
                Log.CampaignDispatched(logger, campaignId);
            }
        }
        return due.Count == CampaignsPerRound;
    }
}

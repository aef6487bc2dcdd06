using Campaigns.Core.Hosting;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// Completes any <c>sending</c> campaign with nothing left to send that no outcome batch completed
/// (its last messages were cancelled by the API, or a worker died between two steps), so no campaign
/// stays <c>sending</c> forever. Cheap: the partial index <c>idx_campaigns_sending</c>.
/// </summary>
public sealed class CompletionSweep(
    NpgsqlDataSource dataSource, IOptions<WorkerOptions> options, ILogger<CompletionSweep> logger) : PeriodicService(logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var completed = await CampaignCompletion.CompleteAnyAsync(connection, cancellationToken);
        if (completed.Count == 0)
        {
            return false;
        }
        // A span only for a round that completed campaigns, recorded once that is known.
        using var activity = WorkerActivities.StartBackgroundWork("campaigns complete", startedAt);
        activity?.SetTag("campaigns.campaign.count", completed.Count);
        foreach (var campaign in completed)
        {
            Log.CampaignCompleted(logger, campaign.Id, campaign.Status);
        }
        return false;
    }
}

using Campaigns.Core.Domain;
using Campaigns.Core.Hosting;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Options;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// A message <c>sending</c> past its lease belonged to a worker that died mid-send (or could not
/// record the outcome): the attempt counts as a transient failure and follows the retry rule, through
/// the same guarded outcome write as a live worker's (so a late real outcome and this never both apply).
/// The retry goes to the same provider with the same idempotency key.
/// </summary>
public sealed class LeaseReconciler(
    NpgsqlDataSource dataSource,
    OutcomeStore outcomes,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    ILogger<LeaseReconciler> logger) : PeriodicService(logger)
{
    public const string LeaseExpiredError = "lease expired: the outcome of the attempt is unknown";
    private const int Limit = 1_000;

    private readonly WorkerOptions _options = options.Value;

    private sealed record ExpiredRow(long Id, int RetryCount, string Channel);

    protected override TimeSpan Interval => _options.SweepInterval;

    /// <summary>Expired leases (public so a test can look at the plan): the state machine's <c>expired_leases</c>.</summary>
    public const string ExpiredLeasesSql = "SELECT id, retry_count, channel FROM expired_leases(@limit)";

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        const string sql = ExpiredLeasesSql;
        List<ExpiredRow> expired;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            expired = (await connection.QueryAsync<ExpiredRow>(new CommandDefinition(
                sql, new { limit = Limit }, cancellationToken: cancellationToken))).AsList();
        }
        if (expired.Count == 0)
        {
            return false;
        }

        var decided = expired.Select(row => AttemptOutcome.Decide(
                row.Id, row.RetryCount, SendResult.Transient(LeaseExpiredError), _options.MaxAttempts,
                failed => Backoff.Compute(failed, _options.RetryBaseDelay, _options.RetryMaxDelay)))
            .ToList();
        using var activity = WorkerActivities.StartBackgroundWork("campaign_sends reconcile leases");
        var result = await outcomes.ApplyAsync(decided, onlyExpiredLeases: true, cancellationToken);
        var channels = expired.ToDictionary(r => r.Id, r => r.Channel);
        foreach (var row in result.Applied)
        {
            Log.LeaseExpired(logger, row.Id, row.CampaignId, row.Status);
            switch (row.Status)
            {
                case MessageStatus.Pending:
                    metrics.Retried(channels[row.Id]);
                    metrics.LeaseExpired("retry");
                    break;
                case MessageStatus.Failed:
                    metrics.Failed(channels[row.Id]);
                    metrics.LeaseExpired("failed");
                    break;
                case MessageStatus.Cancelled:
                    metrics.Cancelled(channels[row.Id]);
                    metrics.LeaseExpired("cancelled");
                    break;
            }
        }
        foreach (var campaign in result.CompletedCampaigns)
        {
            Log.CampaignCompleted(logger, campaign.Id, campaign.Status);
        }
        return expired.Count == Limit;
    }
}

using Campaigns.Core.Hosting;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// Folds the campaign count deltas the triggers append into <c>campaign_counts</c> every second, so the
/// list's <c>total_count</c> sums a few rows however many campaigns are created, sent or deleted.
/// Any number of API instances may run it at once (see migration 0004). Untraced: it folds something
/// every second anything changes, and a trace a second would bury the requests that made the change.
/// </summary>
public sealed class CampaignCountsCompactor(NpgsqlDataSource dataSource, ILogger<CampaignCountsCompactor> logger) : PeriodicService(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT compact_campaign_counts()", cancellationToken: cancellationToken));
        return false;
    }
}

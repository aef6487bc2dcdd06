using Campaigns.Core.Hosting;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// Folds the count deltas the triggers append into <c>campaign_counts</c> and <c>customer_counts</c> every
/// second, so the lists' <c>total_count</c> sums a few rows however many campaigns and customers are
/// created, changed or deleted. Any number of API instances may run it at once (migrations 0004, 0008).
/// Untraced: it folds something every second anything changes, and a trace a second would bury the
/// requests that made the change.
/// </summary>
public sealed class ListCountsCompactor(NpgsqlDataSource dataSource, ILogger<ListCountsCompactor> logger) : PeriodicService(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT compact_campaign_counts(); SELECT compact_customer_counts();", cancellationToken: cancellationToken));
        return false;
    }
}

using Campaigns.Core.Customers;
using Dapper;
using Npgsql;

namespace Campaigns.MigrationService;

/// <summary>
/// Gives every customer without a time zone the one their phone gives (migration 0014): the rows that
/// existed before it, and any written by SQL around the API since. A batch at a time, each one read and
/// then written by one set-based statement; a zone the API wrote meanwhile is left alone.
/// </summary>
public sealed class CustomerTimeZoneBackfill(NpgsqlDataSource dataSource, ILogger<CustomerTimeZoneBackfill> logger)
{
    public const int DefaultBatchSize = 5_000;

    // Walks the partial index of rows without a zone in id order, from where the last batch ended.
    private const string NextBatchSql = """
        SELECT id, phone FROM customers
        WHERE timezone IS NULL AND id > @afterId
        ORDER BY id
        LIMIT @batchSize
        """;

    private const string FillSql = """
        UPDATE customers AS c SET timezone = filled.timezone
        FROM unnest(@ids::bigint[], @zones::text[]) AS filled (id, timezone)
        WHERE c.id = filled.id AND c.timezone IS NULL
        """;

    /// <returns>How many customers it gave a zone.</returns>
    public Task<long> FillMissingAsync(CancellationToken cancellationToken) => FillMissingAsync(DefaultBatchSize, cancellationToken);

    /// <returns>How many customers it gave a zone.</returns>
    public async Task<long> FillMissingAsync(int batchSize, CancellationToken cancellationToken)
    {
        var zones = await CustomerTimeZones.LoadAsync(dataSource, cancellationToken);
        var filled = 0L;
        var afterId = 0L;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var batch = (await connection.QueryAsync<(long Id, string Phone)>(new CommandDefinition(NextBatchSql,
                new { afterId, batchSize }, cancellationToken: cancellationToken))).AsList();
            if (batch.Count == 0)
            {
                break;
            }
            var ids = batch.Select(row => row.Id).ToArray();
            var derived = batch.Select(row => zones.ForPhone(row.Phone)).ToArray();
            filled += await connection.ExecuteAsync(new CommandDefinition(FillSql, new { ids, zones = derived },
                cancellationToken: cancellationToken));
            afterId = ids[^1];
        }
        if (filled > 0)
        {
            Log.TimeZonesBackfilled(logger, filled);
        }
        return filled;
    }
}

using Campaigns.Benchmarks.Data;
using Campaigns.Benchmarks.Report;
using Campaigns.Core.Queue;
using Dapper;
using StackExchange.Redis;

namespace Campaigns.Benchmarks.Measure;

/// <summary>
/// Bytes a message takes where it is kept: a job in the Redis stream while it waits, and its rows in Postgres once it is
/// delivered (the message, its events, its links, its receipts), table, indexes and TOAST together, per row. The
/// sizing in docs/scale.md multiplies these by messages a day and days kept.
/// </summary>
public static class StorageFootprint
{
    // Tables a message leaves rows in; a partitioned one is summed over its partitions.
    private static readonly string[] MessageTables = ["outbound_messages", "provider_message_ids", "message_events", "links", "provider_receipts"];

    /// <summary>The send stream's memory per job it holds (call while jobs wait in it: after accept, before delivery).</summary>
    public static async Task<double?> RedisBytesPerJobAsync(IConnectionMultiplexer redis, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var jobs = await database.StreamLengthAsync(CampaignSendsStream.Name).WaitAsync(cancellationToken);
        if (jobs == 0)
        {
            return null;
        }
        // SAMPLES 0: every entry counted, not an estimate from the first few.
        var bytes = (long)await database.ExecuteAsync("MEMORY", "USAGE", CampaignSendsStream.Name, "SAMPLES", 0).WaitAsync(cancellationToken);
        return Math.Round((double)bytes / jobs, 1);
    }

    /// <summary>Each message table's bytes per row, and its rows per message.</summary>
    public static async Task<IReadOnlyList<TableFootprint>> PostgresAsync(BenchDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        // Fresh statistics and a vacuumed heap: sizes as a steady database holds them, not mid-bloat.
        await connection.ExecuteAsync(new CommandDefinition($"VACUUM (ANALYZE) {string.Join(", ", MessageTables)}", cancellationToken: cancellationToken));
        var messages = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM outbound_messages",
            cancellationToken: cancellationToken));
        var footprints = new List<TableFootprint>();
        foreach (var table in MessageTables)
        {
            var (bytes, rows) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
                // pg_partition_tree lists a partitioned table's partitions; a plain table is its own size.
                $"SELECT (SELECT CASE WHEN c.relkind = 'p' " +
                $"THEN (SELECT coalesce(sum(pg_total_relation_size(tree.relid)), 0) FROM pg_partition_tree(c.oid) AS tree) " +
                $"ELSE pg_total_relation_size(c.oid) END FROM pg_class AS c WHERE c.oid = '{table}'::regclass)::bigint, " +
                $"(SELECT count(*) FROM {table})", cancellationToken: cancellationToken));
            footprints.Add(new TableFootprint(table, rows, rows == 0 ? 0 : Math.Round((double)bytes / rows, 1),
                messages == 0 ? 0 : Math.Round((double)rows / messages, 3)));
        }
        return footprints;
    }
}

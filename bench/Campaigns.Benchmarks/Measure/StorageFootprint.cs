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

    /// <summary>Each message table's bytes per row, live and allocated, and its rows per message.</summary>
    /// <remarks>
    /// Allocated is what the files take: after a campaign's messages went pending → sending → sent → delivered, each row
    /// left three dead versions and their index entries, and VACUUM frees that space for later rows without giving it back,
    /// so right after a benchmark it counts several times the live rows. Live (pgstattuple) is the live tuples and index
    /// entries alone: what a steady database, reusing freed space, holds per row.
    /// </remarks>
    public static async Task<IReadOnlyList<TableFootprint>> PostgresAsync(BenchDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        // Fresh statistics and dead versions cleared (their space stays allocated: see the remarks).
        await connection.ExecuteAsync(new CommandDefinition($"VACUUM (ANALYZE) {string.Join(", ", MessageTables)}", cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("CREATE EXTENSION IF NOT EXISTS pgstattuple", cancellationToken: cancellationToken));
        var messages = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM outbound_messages",
            cancellationToken: cancellationToken));
        var footprints = new List<TableFootprint>();
        foreach (var table in MessageTables)
        {
            // A partitioned table is its partitions (pg_partition_tree); a plain table is itself.
            var (bytes, liveBytes, rows) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition($"""
                SELECT coalesce(sum(pg_total_relation_size(leaf.relid)), 0)::bigint,
                       coalesce(sum(heap.tuple_len + indexes.live), 0)::bigint,
                       (SELECT count(*) FROM {table})
                FROM (SELECT tree.relid FROM pg_partition_tree('{table}'::regclass) AS tree WHERE tree.isleaf
                      UNION ALL
                      SELECT c.oid FROM pg_class AS c WHERE c.oid = '{table}'::regclass AND c.relkind <> 'p') AS leaf
                CROSS JOIN LATERAL pgstattuple(leaf.relid) AS heap
                CROSS JOIN LATERAL (
                    SELECT coalesce(sum(s.leaf_pages * current_setting('block_size')::bigint
                                        * coalesce(nullif(s.avg_leaf_density, 'NaN'), 0) / 100), 0) AS live
                    FROM pg_index i CROSS JOIN LATERAL pgstatindex(i.indexrelid) AS s
                    WHERE i.indrelid = leaf.relid) AS indexes
                """, cancellationToken: cancellationToken));
            footprints.Add(new TableFootprint(table, rows, PerRow(bytes, rows), PerRow(liveBytes, rows),
                messages == 0 ? 0 : Math.Round((double)rows / messages, 3)));
        }
        return footprints;
    }

    private static double PerRow(long bytes, long rows) => rows == 0 ? 0 : Math.Round((double)bytes / rows, 1);
}

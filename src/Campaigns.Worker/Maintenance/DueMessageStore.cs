using Campaigns.Worker.Delivery;
using Dapper;
using Npgsql;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// The retry driver's queries over the due list (the partial index <c>idx_outbound_messages_due</c> on
/// <c>next_attempt_at</c> of pending and sending rows). They change no status, so no counters and no
/// campaign locks; <c>SKIP LOCKED</c> lets replicas share the list without waiting on each other.
/// </summary>
public sealed class DueMessageStore(NpgsqlDataSource dataSource)
{
    /// <summary>A due message taken for publishing, and why it was due.</summary>
    public sealed record DueMessage(long Id, string Reason);

    public const string RetryDue = "retry_due";
    public const string JobLost = "job_lost";

    /// <summary>
    /// The due query (public so a test can EXPLAIN it): a range scan of the partial index
    /// <c>idx_outbound_messages_due</c>, which holds only pending and sending rows, so an idle system
    /// reads nothing. A message backing off (<c>next_attempt_at - updated_at</c> below the requeue horizon)
    /// is a retry; any other due pending message had a job that was presumed lost.
    /// </summary>
    public const string TakeDueSql = """
        UPDATE outbound_messages m
        SET next_attempt_at = now() + @requeueAfter, updated_at = now()
        FROM (
            SELECT d.id,
                   CASE WHEN d.retry_count > 0 AND d.next_attempt_at < d.updated_at + @requeueAfter
                        THEN 'retry_due' ELSE 'job_lost' END AS reason
            FROM outbound_messages d
            JOIN campaigns c ON c.id = d.campaign_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND c.status = 'sending'
            ORDER BY d.next_attempt_at
            LIMIT @limit
            FOR UPDATE OF d SKIP LOCKED) due
        WHERE m.id = due.id
        RETURNING m.id, due.reason
        """;

    /// <summary>
    /// Takes due <c>pending</c> messages of campaigns being sent (a retry whose backoff is over, or an
    /// initial send whose job was published longer than the horizon ago and presumed lost), moves their
    /// horizon forward (which also marks them re-queued for the claim rule) and returns their ids to publish.
    /// </summary>
    public async Task<IReadOnlyList<DueMessage>> TakeDueAsync(int limit, TimeSpan requeueAfter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginByPrimaryKeyAsync(connection, cancellationToken);
        var rows = (await connection.QueryAsync<DueMessage>(new CommandDefinition(
            TakeDueSql, new { limit, requeueAfter }, transaction, cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// Pushes due <c>pending</c> messages of campaigns not being sent (paused, scheduled) out of the due
    /// list for a while, so the list stays short. <c>updated_at</c> is left alone: a parked retry looks
    /// re-queued to the claim rule, so the jobs a resume publishes may claim it.
    /// </summary>
    public async Task<int> ParkAsync(int limit, TimeSpan parkFor, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE outbound_messages m
            SET next_attempt_at = now() + @parkFor
            WHERE m.id IN (
                SELECT d.id
                FROM outbound_messages d
                JOIN campaigns c ON c.id = d.campaign_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND c.status <> 'sending'
                ORDER BY d.next_attempt_at
                LIMIT @limit
                FOR UPDATE OF d SKIP LOCKED)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginByPrimaryKeyAsync(connection, cancellationToken);
        var parked = await connection.ExecuteAsync(new CommandDefinition(sql, new { limit, parkFor }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return parked;
    }

    /// <summary>
    /// The due rows are found through the due index and then updated by primary key. With a few
    /// thousand due rows the planner would rather hash-join them against a scan of the whole table,
    /// every round; without sequential scans it cannot (see <see cref="CampaignLocks.PrimaryKeyPlans"/>).
    /// </summary>
    private static async Task<NpgsqlTransaction> BeginByPrimaryKeyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(CampaignLocks.PrimaryKeyPlans, transaction: transaction, cancellationToken: cancellationToken));
        return transaction;
    }
}

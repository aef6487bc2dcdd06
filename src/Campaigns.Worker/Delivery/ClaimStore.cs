using Campaigns.Core.Domain;
using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Claims a batch of jobs' messages in one transaction: <c>pending</c> → <c>sending</c> with a lease,
/// or → <c>cancelled</c> when the customer has opted out since the send; the campaign counters move
/// in the same transaction. Messages not returned are not this worker's to send (already sent, failed
/// or cancelled, claimed elsewhere, campaign paused or cancelled, or waiting for a retry backoff):
/// their jobs are simply acknowledged.
/// </summary>
/// <remarks>
/// <para>Which <c>pending</c> messages a job may claim. A pending message is in one of two states:</para>
/// <list type="bullet">
/// <item><b>queued</b>: a job for it was published. <c>next_attempt_at</c> is the requeue horizon (when the
/// retry driver presumes the job lost and publishes another). Initial sends (<c>retry_count = 0</c>) and
/// messages re-published by the retry driver, the scheduler or a resume are queued.</item>
/// <item><b>backing off</b>: an attempt failed (<c>retry_count &gt; 0</c>) and the message waits for
/// <c>next_attempt_at = failure time + backoff</c>. A job read now is a stale duplicate (published before
/// the failure, or redelivered) and must not cut the backoff short.</item>
/// </list>
/// <para>Both write <c>updated_at</c> in the same statement as <c>next_attempt_at</c>, so
/// <c>next_attempt_at - updated_at</c> is the horizon (≥ <c>RequeueAfter</c>) for a queued message and the
/// backoff (≤ <c>RetryMaxDelay</c> &lt; <c>RequeueAfter</c>, enforced by option validation) for one backing
/// off. Hence the rule: claimable when <c>retry_count = 0</c>, or the backoff is over
/// (<c>next_attempt_at &lt;= now()</c>), or it was re-queued (<c>next_attempt_at &gt;= updated_at + RequeueAfter</c>).
/// A stale job for a backing-off message is acknowledged; the retry driver publishes a fresh one when it is due.</para>
/// <para>Plan fences. The worker's statements find their messages by id and nothing else: a campaign
/// sent a minute ago is not in the table's statistics yet (autovacuum has not analyzed it), so the
/// planner believed it had no pending messages and preferred a bitmap scan of all of them, filtered
/// by id (240 ms per batch of 256 instead of 10); and since the statistics say almost no message is
/// ever <c>sending</c>, it expected one row and joined the outcomes to their input in a nested loop
/// (O(n²), 160 ms per batch of 500). <c>CASE WHEN status = … THEN true ELSE false END</c> hides the
/// status from index conditions and from that estimate, and <c>+ 0</c> keeps the campaign and customer
/// ids out of index conditions: the primary key is the only way in.</para>
/// </remarks>
public sealed class ClaimStore(NpgsqlDataSource dataSource)
{
    public sealed record ClaimedRow(
        long Id, long CampaignId, int RetryCount, string RenderedContent, string Channel, string Phone, string Status);

    private const string ClaimedCounts = """
        SELECT campaign_id, -count(*)::int AS pending, count(*) FILTER (WHERE status = 'sending')::int AS sending,
               0 AS sent, 0 AS failed, count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
        FROM changed GROUP BY campaign_id
        """;

    private const string ReleasedCounts = """
        SELECT campaign_id, count(*) FILTER (WHERE status = 'pending')::int AS pending, -count(*)::int AS sending,
               0 AS sent, 0 AS failed, count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
        FROM released GROUP BY campaign_id
        """;

    /// <summary>The claim (public for the plan test): messages by id, campaign and customer by primary key.</summary>
    public static readonly string ClaimSql = $$"""
        WITH changed AS (
            -- One pass: opted-out customers' messages are cancelled, the rest claimed with a lease.
            UPDATE outbound_messages m
            SET status = CASE WHEN u.opted_out THEN 'cancelled' ELSE 'sending' END,
                last_error = CASE WHEN u.opted_out THEN 'customer opted out' ELSE m.last_error END,
                next_attempt_at = CASE WHEN u.opted_out THEN now() ELSE now() + @lease END,
                updated_at = now()
            FROM campaigns c, customers u
            WHERE m.id = ANY(@messageIds)
              -- Only the primary key finds the rows: see the plan fences in the remarks.
              AND CASE WHEN m.status = 'pending' THEN true ELSE false END
              AND (u.opted_out
                   OR m.retry_count = 0
                   OR m.next_attempt_at <= now()
                   OR m.next_attempt_at >= m.updated_at + @requeueAfter)
              AND c.id = m.campaign_id + 0 AND c.status = 'sending'
              AND u.id = m.customer_id + 0
            RETURNING m.id, m.campaign_id, m.retry_count, m.rendered_content, c.channel, u.phone, m.status
        ),
        counters AS (
            {{CampaignTallies.Add(ClaimedCounts)}}
        )
        SELECT id, campaign_id, retry_count, rendered_content, channel, phone, status FROM changed
        """;

    /// <returns>The rows claimed (status <c>sending</c>) and cancelled (status <c>cancelled</c>).</returns>
    public async Task<IReadOnlyList<ClaimedRow>> ClaimAsync(
        long[] messageIds, TimeSpan lease, TimeSpan requeueAfter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CampaignLocks.ShareCampaignsOfMessagesAsync(connection, transaction, messageIds, cancellationToken);
        var rows = await connection.QueryAsync<ClaimedRow>(new CommandDefinition(
            ClaimSql, new { messageIds, lease, requeueAfter }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows.AsList();
    }

    /// <summary>
    /// Extends the lease of claimed messages not yet sent (waiting for rate-limit permits). Returns the
    /// ids still this worker's: a message whose lease already ran out was counted as a failed attempt
    /// and may be claimed elsewhere, so it must not be sent from here.
    /// </summary>
    public async Task<HashSet<long>> RenewLeasesAsync(
        IReadOnlyList<ClaimedMessage> messages, TimeSpan lease, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE outbound_messages m
            SET next_attempt_at = now() + @lease
            FROM unnest(@ids::bigint[], @retryCounts::integer[]) AS t(id, retry_count)
            WHERE m.id = t.id AND CASE WHEN m.status = 'sending' THEN true ELSE false END AND m.retry_count = t.retry_count
            RETURNING m.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(sql, new
        {
            ids = messages.Select(m => m.Id).ToArray(),
            retryCounts = messages.Select(m => m.RetryCount).ToArray(),
            lease,
        }, cancellationToken: cancellationToken));
        return [.. ids];
    }

    /// <summary>
    /// Un-claims messages that were never handed to the provider (a stopping worker): back to
    /// <c>pending</c> and due at once (the retry driver queues them again), or <c>cancelled</c> when
    /// their campaign was cancelled meanwhile; counters in the same transaction. No attempt is charged.
    /// </summary>
    public async Task ReleaseAsync(IReadOnlyList<ClaimedMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        var sql = $$"""
            WITH released AS (
                UPDATE outbound_messages m
                SET status = CASE WHEN c.status = 'cancelled' THEN 'cancelled' ELSE 'pending' END,
                    next_attempt_at = now(), updated_at = now()
                FROM unnest(@ids::bigint[], @retryCounts::integer[]) AS t(id, retry_count), campaigns c
                WHERE m.id = t.id AND CASE WHEN m.status = 'sending' THEN true ELSE false END AND m.retry_count = t.retry_count AND c.id = m.campaign_id + 0
                RETURNING m.campaign_id, m.status
            )
            {{CampaignTallies.Add(ReleasedCounts)}}
            """;
        var ids = messages.Select(m => m.Id).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CampaignLocks.ShareCampaignsOfMessagesAsync(connection, transaction, ids, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            ids,
            retryCounts = messages.Select(m => m.RetryCount).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        await CampaignCompletion.CompleteAsync(connection, [.. messages.Select(m => m.CampaignId).Distinct()], cancellationToken);
    }

    public static bool IsClaimed(ClaimedRow row) => row.Status == MessageStatus.Sending;
}

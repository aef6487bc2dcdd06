using System.Diagnostics;
using Campaigns.Benchmarks.Data;
using Dapper;
using Npgsql;

namespace Campaigns.Benchmarks.Floors;

/// <summary>
/// The floor of <c>deliver_zero_latency</c>: the row work of delivering a campaign done by raw SQL in
/// large batches on one connection, with no queue, no sender and no per-message code: insert every
/// message (binary COPY), claim each batch <c>pending → sending</c> (joined with the campaign and the
/// customer as the worker's claim is, counters moved in the same statement), record each batch's
/// outcome <c>sending → sent</c> with the counters, then complete the campaign.
/// </summary>
public static class DeliveryFloor
{
    public const int BatchSize = 10_000;

    private const string Claim = """
        WITH claimed AS (
            UPDATE outbound_messages m
            SET status = 'sending', next_attempt_at = now() + interval '60 seconds', updated_at = now()
            FROM campaigns c, customers u
            WHERE m.id = ANY(@ids) AND m.status = 'pending'
              AND c.id = m.campaign_id AND c.status = 'sending'
              AND u.id = m.customer_id AND NOT u.opted_out
            RETURNING m.id, m.campaign_id, m.retry_count, m.rendered_content, u.phone
        ),
        counters AS (
            UPDATE campaigns c
            SET pending_count = c.pending_count - n.claimed, sending_count = c.sending_count + n.claimed, updated_at = now()
            FROM (SELECT campaign_id, count(*)::int AS claimed FROM claimed GROUP BY campaign_id) n
            WHERE c.id = n.campaign_id
        )
        SELECT id, retry_count, rendered_content, phone FROM claimed
        """;

    private const string Outcome = """
        WITH input AS (
            SELECT * FROM unnest(@ids::bigint[], @claimedRetryCounts::integer[]) AS t(id, claimed_retry_count)
        ),
        updated AS (
            UPDATE outbound_messages m
            SET status = 'sent', next_attempt_at = now(), updated_at = now()
            FROM input i
            WHERE m.id = i.id AND m.status = 'sending' AND m.retry_count = i.claimed_retry_count
            RETURNING m.campaign_id
        )
        UPDATE campaigns c
        SET sending_count = c.sending_count - n.total, sent_count = c.sent_count + n.total, updated_at = now()
        FROM (SELECT campaign_id, count(*)::int AS total FROM updated GROUP BY campaign_id) n
        WHERE c.id = n.campaign_id
        """;

    private const string Complete = """
        UPDATE campaigns SET status = CASE WHEN sent_count > 0 THEN 'sent' ELSE 'failed' END, updated_at = now()
        WHERE id = @campaignId AND status = 'sending' AND pending_count = 0 AND sending_count = 0
        """;

    /// <returns>Messages per second.</returns>
    public static async Task<double> MeasureAsync(BenchDatabase database, IReadOnlyList<long> customerIds,
        CancellationToken cancellationToken)
    {
        var campaignId = await database.CreateSendingCampaignAsync("floor: delivery", cancellationToken);
        var rows = customerIds.Select(id => (Id: id, Text: BenchDatabase.RenderFor(id))).ToArray();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);

        var started = Stopwatch.GetTimestamp();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await CopyFloor.CopyAsync(connection, campaignId, rows, DateTime.UtcNow.AddMinutes(1), cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE campaigns SET total_count = @count, pending_count = @count WHERE id = @campaignId",
                new { campaignId, count = rows.Length }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        var messageIds = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM outbound_messages WHERE campaign_id = @campaignId ORDER BY id", new { campaignId },
            cancellationToken: cancellationToken))).ToArray();

        for (var offset = 0; offset < messageIds.Length; offset += BatchSize)
        {
            var ids = messageIds.AsSpan(offset, Math.Min(BatchSize, messageIds.Length - offset)).ToArray();
            await ClaimAndRecordAsync(connection, ids, cancellationToken);
        }
        var completed = await connection.ExecuteAsync(new CommandDefinition(Complete, new { campaignId },
            cancellationToken: cancellationToken));
        var elapsed = Stopwatch.GetElapsedTime(started);

        if (completed != 1)
        {
            throw new InvalidOperationException("The delivery floor did not complete its campaign: the row work is wrong");
        }
        await database.DropCampaignAsync(campaignId, cancellationToken);
        return messageIds.Length / elapsed.TotalSeconds;
    }

    private static async Task ClaimAndRecordAsync(NpgsqlConnection connection, long[] ids, CancellationToken cancellationToken)
    {
        long[] claimedIds;
        int[] claimedRetryCounts;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var claimed = (await connection.QueryAsync<(long Id, int RetryCount, string Content, string Phone)>(new CommandDefinition(
                Claim, new { ids }, transaction, cancellationToken: cancellationToken))).AsList();
            await transaction.CommitAsync(cancellationToken);
            claimedIds = claimed.Select(c => c.Id).ToArray();
            claimedRetryCounts = claimed.Select(c => c.RetryCount).ToArray();
        }
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(Outcome, new { ids = claimedIds, claimedRetryCounts },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
    }
}

using Campaigns.Core.Domain;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// Pause, resume, cancel and retry-failed. Each is one transaction that first locks the campaign row
/// for update and folds the workers' tallies into its counters (migration 0005): it waits for the
/// claims and outcome batches in flight (which share the row) and keeps new ones out until it
/// commits, so once a pause or cancel has answered, no claim of that campaign can follow it.
/// </summary>
public sealed class CampaignControl(NpgsqlDataSource dataSource, IOptions<SendOptions> options)
{
    public sealed record ControlResult(CampaignRow? Campaign, string? CurrentStatus, IReadOnlyList<long> ToEnqueue, int SkippedOptedOut);

    public async Task<ControlResult> PauseAsync(long campaignId, CancellationToken cancellationToken)
    {
        var sql = $"""
            UPDATE campaigns SET status = '{CampaignStatus.Paused}', updated_at = now()
            WHERE id = @campaignId AND status = '{CampaignStatus.Sending}'
            RETURNING {CampaignRow.Columns}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await FoldTalliesAsync(connection, transaction, campaignId, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition(sql, new { campaignId }, transaction, cancellationToken: cancellationToken));
        var result = row is not null ? new ControlResult(row, row.Status, [], 0) : await NotChangedAsync(connection, transaction, campaignId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Back to sending; every pending message gets a fresh job (its old one was acknowledged while paused).</summary>
    public async Task<ControlResult> ResumeAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await FoldTalliesAsync(connection, transaction, campaignId, cancellationToken);
        const string flip = $"""
            UPDATE campaigns SET status = '{CampaignStatus.Sending}', updated_at = now()
            WHERE id = @campaignId AND status = '{CampaignStatus.Paused}'
            RETURNING id
            """;
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(flip, new { campaignId }, transaction, cancellationToken: cancellationToken)) is null)
        {
            return await NotChangedAsync(connection, transaction, campaignId, cancellationToken);
        }

        // Queued again: first attempts, retries already due, and retries the worker parked while the
        // campaign was paused (pushed Worker:ParkFor ahead, so next_attempt_at - updated_at is beyond a
        // backoff). Only retries still waiting out their backoff keep their time: the retry driver
        // queues them when due.
        const string requeue = """
            UPDATE outbound_messages SET next_attempt_at = now() + @requeueAfter, updated_at = now()
            WHERE campaign_id = @campaignId AND status = 'pending'
              AND (retry_count = 0 OR next_attempt_at <= now() OR next_attempt_at >= updated_at + @requeueAfter)
            RETURNING id
            """;
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(requeue,
            new { campaignId, requeueAfter = options.Value.RequeueAfter }, transaction, cancellationToken: cancellationToken))).AsList();
        var row = await CompleteIfDoneAsync(connection, transaction, campaignId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(row, row.Status, ids, 0);
    }

    /// <summary>No further claims; every pending message becomes cancelled, counters in the same transaction.</summary>
    public async Task<ControlResult> CancelAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await FoldTalliesAsync(connection, transaction, campaignId, cancellationToken);
        var sql = $"""
            UPDATE campaigns SET status = '{CampaignStatus.Cancelled}', updated_at = now()
            WHERE id = @campaignId
              AND status IN ('{CampaignStatus.Draft}', '{CampaignStatus.Scheduled}', '{CampaignStatus.Sending}', '{CampaignStatus.Paused}')
            RETURNING id;
            """;
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { campaignId }, transaction, cancellationToken: cancellationToken)) is null)
        {
            return await NotChangedAsync(connection, transaction, campaignId, cancellationToken);
        }
        var cancelPending = $"""
            WITH cancelled AS (
                UPDATE outbound_messages SET status = 'cancelled', updated_at = now()
                WHERE campaign_id = @campaignId AND status = 'pending'
                RETURNING 1)
            UPDATE campaigns SET pending_count = pending_count - n, cancelled_count = cancelled_count + n
            FROM (SELECT count(*)::int AS n FROM cancelled) c
            WHERE id = @campaignId
            RETURNING {CampaignRow.Columns}
            """;
        var row = await connection.QuerySingleAsync<CampaignRow>(new CommandDefinition(cancelPending, new { campaignId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new(row, row.Status, [], 0);
    }

    /// <summary>
    /// A new round for a finished campaign's failed messages: back to pending with retry_count 0
    /// (last_error kept until the next attempt), or cancelled for customers who opted out since.
    /// </summary>
    public async Task<ControlResult> RetryFailedAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await FoldTalliesAsync(connection, transaction, campaignId, cancellationToken);
        const string flip = $"""
            UPDATE campaigns SET status = '{CampaignStatus.Sending}', updated_at = now()
            WHERE id = @campaignId AND status IN ('{CampaignStatus.Sent}', '{CampaignStatus.Failed}') AND failed_count > 0
            RETURNING id
            """;
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(flip, new { campaignId }, transaction, cancellationToken: cancellationToken)) is null)
        {
            return await NotChangedAsync(connection, transaction, campaignId, cancellationToken);
        }
        const string retry = """
            WITH retried AS (
                UPDATE outbound_messages m
                SET status = CASE WHEN u.opted_out THEN 'cancelled' ELSE 'pending' END,
                    retry_count = CASE WHEN u.opted_out THEN m.retry_count ELSE 0 END,
                    next_attempt_at = now() + @requeueAfter, updated_at = now()
                FROM customers u
                WHERE m.campaign_id = @campaignId AND m.status = 'failed' AND u.id = m.customer_id
                RETURNING m.id, m.status),
            counts AS (
                SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
                       count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
                FROM retried),
            counters AS (
                UPDATE campaigns SET failed_count = failed_count - (pending + cancelled),
                                     pending_count = pending_count + pending,
                                     cancelled_count = cancelled_count + cancelled
                FROM counts WHERE id = @campaignId)
            SELECT id, status FROM retried
            """;
        var retried = (await connection.QueryAsync<(long Id, string Status)>(new CommandDefinition(retry,
            new { campaignId, requeueAfter = options.Value.RequeueAfter }, transaction, cancellationToken: cancellationToken))).AsList();
        var row = await CompleteIfDoneAsync(connection, transaction, campaignId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var pending = retried.Where(r => r.Status == MessageStatus.Pending).Select(r => r.Id).ToList();
        return new(row, row.Status, pending, retried.Count - pending.Count);
    }

    /// <summary>Locks the campaign row for update and moves the workers' tallies into its counters.</summary>
    private static Task FoldTalliesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long campaignId,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT fold_campaign_tallies(ARRAY[@campaignId])", new { campaignId },
            transaction, cancellationToken: cancellationToken));

    /// <summary>A sending campaign with nothing left pending or sending is finished, exactly once.</summary>
    private static Task<CampaignRow> CompleteIfDoneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long campaignId,
        CancellationToken cancellationToken)
    {
        var sql = $"""
            UPDATE campaigns SET
                status = CASE WHEN status = '{CampaignStatus.Sending}' AND pending_count = 0 AND sending_count = 0
                              THEN CASE WHEN sent_count > 0 THEN '{CampaignStatus.Sent}' ELSE '{CampaignStatus.Failed}' END
                              ELSE status END
            WHERE id = @campaignId
            RETURNING {CampaignRow.Columns}
            """;
        return connection.QuerySingleAsync<CampaignRow>(new CommandDefinition(sql, new { campaignId }, transaction, cancellationToken: cancellationToken));
    }

    private static async Task<ControlResult> NotChangedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long campaignId,
        CancellationToken cancellationToken)
    {
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }, transaction, cancellationToken: cancellationToken));
        return new(null, status, [], 0);
    }
}

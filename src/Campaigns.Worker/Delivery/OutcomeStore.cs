using Campaigns.Core.Domain;
using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Writes a batch of attempt outcomes in one transaction: the messages (<c>UPDATE … FROM unnest</c>)
/// and the campaign counters (tallies); then completes campaigns with nothing left to send.
/// </summary>
/// <remarks>
/// An outcome applies only to a row still <c>sending</c> with the <c>retry_count</c> it was claimed with:
/// an attempt whose lease expired (and was counted as failed and perhaps claimed again) can no longer
/// overwrite what happened since. A retry whose campaign was cancelled meanwhile becomes <c>cancelled</c>.
/// </remarks>
public sealed class OutcomeStore(NpgsqlDataSource dataSource, ILogger<OutcomeStore> logger)
{
    public sealed record AppliedRow(long Id, long CampaignId, string Status);

    public sealed record Result(IReadOnlyList<AppliedRow> Applied, IReadOnlyList<CampaignCompletion.Completed> CompletedCampaigns);

    private const string AppliedCounts = """
        SELECT campaign_id,
               count(*) FILTER (WHERE status = 'pending')::int AS pending, -count(*)::int AS sending,
               count(*) FILTER (WHERE status = 'sent')::int AS sent,
               count(*) FILTER (WHERE status = 'failed')::int AS failed,
               count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
        FROM updated GROUP BY campaign_id
        """;

    /// <summary>The outcome batch (public for the plan test): messages by id, campaigns by primary key.</summary>
    public static readonly string ApplySql = $$"""
        WITH input AS (
            SELECT * FROM unnest(@ids::bigint[], @claimedRetryCounts::integer[], @statuses::text[],
                                 @retryCounts::integer[], @errors::text[], @delays::interval[])
                AS t(id, claimed_retry_count, status, retry_count, error, delay)
        ),
        updated AS (
            UPDATE outbound_messages m
            SET status = CASE WHEN i.status = 'pending' AND c.status = 'cancelled' THEN 'cancelled' ELSE i.status END,
                retry_count = i.retry_count,
                last_error = COALESCE(i.error, m.last_error),
                next_attempt_at = CASE WHEN i.status = 'pending' THEN now() + i.delay ELSE now() END,
                updated_at = now()
            FROM input i, campaigns c
            WHERE m.id = i.id
              -- Only the primary key finds the rows: see the plan fences of ClaimStore.
              AND CASE WHEN m.status = 'sending' THEN true ELSE false END
              AND m.retry_count = i.claimed_retry_count
              AND (NOT @onlyExpiredLeases OR m.next_attempt_at < now())
              AND c.id = m.campaign_id + 0
            RETURNING m.id, m.campaign_id, m.status
        ),
        counters AS (
            {{CampaignTallies.Add(AppliedCounts)}}
        )
        SELECT id, campaign_id, status FROM updated
        """;

    /// <param name="onlyExpiredLeases">For the lease reconciler: apply only where the lease has run out.</param>
    public async Task<Result> ApplyAsync(
        IReadOnlyList<AttemptOutcome> outcomes, bool onlyExpiredLeases, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return new Result([], []);
        }
        var parameters = new
        {
            ids = outcomes.Select(o => o.MessageId).ToArray(),
            claimedRetryCounts = outcomes.Select(o => o.ClaimedRetryCount).ToArray(),
            statuses = outcomes.Select(o => o.Status).ToArray(),
            retryCounts = outcomes.Select(o => o.RetryCount).ToArray(),
            errors = outcomes.Select(o => o.Error).ToArray(),
            delays = outcomes.Select(o => o.RetryDelay).ToArray(),
            onlyExpiredLeases,
        };

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CampaignLocks.ShareCampaignsOfMessagesAsync(connection, transaction, parameters.ids, cancellationToken);
        var applied = (await connection.QueryAsync<AppliedRow>(new CommandDefinition(
            ApplySql, parameters, transaction, cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        var touched = applied.Where(r => r.Status != MessageStatus.Pending).Select(r => r.CampaignId).Distinct().ToArray();
        IReadOnlyList<CampaignCompletion.Completed> completed = [];
        try
        {
            completed = await CampaignCompletion.CompleteAsync(connection, touched, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The outcomes are committed and must be reported as such; the completion sweep finishes the campaign.
            Log.CompletionDeferred(logger, e, touched.Length);
        }
        return new Result(applied, completed);
    }
}

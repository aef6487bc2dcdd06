using Campaigns.Core.Domain;
using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// The worker's side of a claim, through the state machine's functions (migration 0006): claim a batch of
/// jobs' messages (<c>pending</c> → <c>sending</c> with a lease, or → <c>cancelled</c> for a customer who
/// opted out since), renew leases while claimed messages wait, and hand back claims never sent.
/// Messages not returned by a claim are not this worker's to send (already done, claimed elsewhere,
/// campaign not sending, waiting for a backoff, or the job is stale): their jobs are simply acknowledged.
/// </summary>
public sealed class ClaimStore(NpgsqlDataSource dataSource)
{
    public sealed record ClaimedRow(
        long Id, long CampaignId, int RetryCount, string RenderedContent, string Channel, string Phone, string Status);

    /// <summary>A job to claim with: its message and the queue stamp it was published with.</summary>
    public readonly record struct JobStamp(long MessageId, DateTime QueuedAt);

    /// <summary>The claim (public for the plan test).</summary>
    public const string ClaimSql = """
        SELECT id, campaign_id, retry_count, rendered_content, channel, phone, status
        FROM claim_messages(@messageIds, @queuedAt, @lease)
        """;

    /// <returns>The rows claimed (status <c>sending</c>) and cancelled (status <c>cancelled</c>).</returns>
    public async Task<IReadOnlyList<ClaimedRow>> ClaimAsync(IReadOnlyCollection<JobStamp> jobs, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClaimedRow>(new CommandDefinition(ClaimSql, new
        {
            messageIds = jobs.Select(j => j.MessageId).ToArray(),
            queuedAt = jobs.Select(j => j.QueuedAt).ToArray(),
            lease,
        }, cancellationToken: cancellationToken));
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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM renew_leases(@ids, @retryCounts, @lease)", new
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
    /// their campaign was cancelled meanwhile. No attempt is charged. Then completes what that finished.
    /// </summary>
    public async Task ReleaseAsync(IReadOnlyList<ClaimedMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT count(*) FROM release_claims(@ids, @retryCounts)", new
        {
            ids = messages.Select(m => m.Id).ToArray(),
            retryCounts = messages.Select(m => m.RetryCount).ToArray(),
        }, cancellationToken: cancellationToken));
        await CampaignCompletion.CompleteAsync(connection, [.. messages.Select(m => m.CampaignId).Distinct()], cancellationToken);
    }

    public static bool IsClaimed(ClaimedRow row) => row.Status == MessageStatus.Sending;
}

using Campaigns.Core.Domain;
using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// The worker's side of a claim, through the state machine's functions (migration 0006): claim a batch of
/// jobs' messages (<c>pending</c> → <c>sending</c> with a lease, or → <c>cancelled</c> for a customer who
/// opted out since), renew the leases of held claims, and confirm claims that waited before they go.
/// (Claims never sent are handed back as outcomes, by the <see cref="OutcomeFlusher"/>.)
/// Messages not returned by a claim are not this worker's to send (already done, claimed elsewhere,
/// campaign not sending, waiting for a backoff, or the job is stale): their jobs are simply acknowledged.
/// </summary>
public sealed class ClaimStore(NpgsqlDataSource dataSource)
{
    /// <summary>A claimed (or cancelled) message as the claim returns it (a class: Dapper sees text[] as Array, not string[]).</summary>
    public sealed class ClaimedRow
    {
        public long Id { get; init; }
        public long CampaignId { get; init; }
        public int RetryCount { get; init; }
        public string RenderedContent { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Phone { get; init; } = "";
        public string Status { get; init; } = "";
        public string? AttemptProvider { get; init; }
        public bool AttemptUnknown { get; init; }
        public string[]? TemplateParameters { get; init; }
        public string? WhatsappTemplate { get; init; }
        /// <summary>How long the message may still go to a provider (its window's close or its validity's end); null: no limit.</summary>
        public TimeSpan? SendWithin { get; init; }
        /// <summary>How long the message stays valid (a provider that takes a validity gets the rest); null: no deadline.</summary>
        public TimeSpan? ValidFor { get; init; }
    }

    /// <summary>A job to claim with: its message, the queue stamp it was published with, and its campaign when the job says.</summary>
    public readonly record struct JobStamp(long MessageId, DateTime QueuedAt, long? CampaignId = null);

    /// <summary>The claim (public for the plan test).</summary>
    public const string ClaimSql = """
        SELECT id, campaign_id, retry_count, rendered_content, channel, phone, status,
               attempt_provider, attempt_unknown, template_parameters, whatsapp_template::text, send_within, valid_for
        FROM claim_messages(@messageIds, @queuedAt, @lease, @sendTrace, @campaignIds)
        """;

    /// <returns>
    /// The rows claimed (status <c>sending</c>), cancelled (<c>cancelled</c>), expired (<c>expired</c>) and sent back to
    /// wait for their recipient's window (<c>pending</c>).
    /// </returns>
    public Task<IReadOnlyList<ClaimedRow>> ClaimAsync(IReadOnlyCollection<JobStamp> jobs, TimeSpan lease, CancellationToken cancellationToken) =>
        ClaimAsync(jobs, lease, sendTrace: null, cancellationToken);

    /// <param name="sendTrace">The batch's W3C traceparent, kept on the messages so their receipts link to it.</param>
    public async Task<IReadOnlyList<ClaimedRow>> ClaimAsync(
        IReadOnlyCollection<JobStamp> jobs, TimeSpan lease, string? sendTrace, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClaimedRow>(new CommandDefinition(ClaimSql, new
        {
            messageIds = jobs.Select(j => j.MessageId).ToArray(),
            queuedAt = jobs.Select(j => j.QueuedAt).ToArray(),
            lease,
            sendTrace,
            campaignIds = jobs.Select(j => j.CampaignId).ToArray(),
        }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>
    /// Extends the lease of held claims. Returns the ids still this worker's: a message whose lease
    /// already ran out was counted as a failed attempt and may have been claimed elsewhere.
    /// </summary>
    public async Task<HashSet<long>> RenewLeasesAsync(
        IReadOnlyList<ClaimedMessage> messages, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM renew_leases(@ids, @retryCounts, @lease, @campaignIds)", Held(messages, lease), cancellationToken: cancellationToken));
        return [.. ids];
    }

    /// <summary>
    /// Before claims that waited go to the provider: returns the ids that may go (lease renewed). The
    /// others are not this worker's any more: their campaign was paused or cancelled meanwhile (handed
    /// back at once, no attempt charged), or their lease ran out.
    /// </summary>
    public async Task<HashSet<long>> ConfirmAsync(
        IReadOnlyList<ClaimedMessage> messages, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(ConfirmSql, Held(messages, lease), cancellationToken: cancellationToken));
        return [.. ids];
    }

    /// <summary>The confirmation of claims that waited (public for the plan test).</summary>
    public const string ConfirmSql = "SELECT id FROM confirm_claims(@ids, @retryCounts, @lease, @campaignIds) WHERE status = 'sending'";

    /// <summary>
    /// The parameters of a renewal or a confirmation: each held message with its retry count (the fence) and its campaign
    /// (its partition; the claim returned it).
    /// </summary>
    public static object Held(IReadOnlyList<ClaimedMessage> messages, TimeSpan lease) => new
    {
        ids = messages.Select(m => m.Id).ToArray(),
        retryCounts = messages.Select(m => m.RetryCount).ToArray(),
        lease,
        campaignIds = messages.Select(m => m.CampaignId).ToArray(),
    };

    public static bool IsClaimed(ClaimedRow row) => row.Status == MessageStatus.Sending;
}

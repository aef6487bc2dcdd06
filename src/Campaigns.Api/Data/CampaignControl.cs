using Campaigns.Core.Queue;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// Pause, resume, cancel and retry-failed: each is one call of its state-machine function (migration
/// 0006), which locks the campaign row for update and folds the workers' tallies first, so it waits for
/// the claims and outcome batches in flight and keeps new ones out until it commits: once a pause or
/// cancel has answered, no claim of that campaign can follow it. The answer is read in the same
/// round trip, after the change.
/// </summary>
public sealed class CampaignControl(NpgsqlDataSource dataSource)
{
    /// <param name="Campaign">The campaign after the change; null when the change was refused (or there is no such campaign).</param>
    /// <param name="CurrentStatus">The status that refused the change; null when there is no such campaign.</param>
    /// <param name="Queued">Messages queued by the change, to publish after it committed.</param>
    public sealed record ControlResult(CampaignRow? Campaign, string? CurrentStatus, QueuedMessages Queued, SkipCounts Skipped);

    public Task<ControlResult> PauseAsync(long campaignId, CancellationToken cancellationToken) =>
        ChangeAsync(QueuesNothing("pause_campaign"), campaignId, cancellationToken);

    /// <summary>Back to sending; its pending messages are queued again (their jobs were acknowledged while it was paused).</summary>
    public Task<ControlResult> ResumeAsync(long campaignId, CancellationToken cancellationToken) =>
        ChangeAsync("SELECT resumed AS changed, message_ids, queued_at, 0 AS skipped_opted_out, 0 AS skipped_suppressed FROM resume_campaign(@campaignId)",
            campaignId, cancellationToken);

    /// <summary>No further claims; every pending message becomes cancelled.</summary>
    public Task<ControlResult> CancelAsync(long campaignId, CancellationToken cancellationToken) =>
        ChangeAsync(QueuesNothing("cancel_campaign"), campaignId, cancellationToken);

    /// <summary>
    /// A new round for a finished campaign's failed messages: back to pending with retry_count 0
    /// (last_error kept until the next attempt), or cancelled for customers who opted out since.
    /// </summary>
    public Task<ControlResult> RetryFailedAsync(long campaignId, CancellationToken cancellationToken) =>
        ChangeAsync("SELECT retried AS changed, message_ids, queued_at, skipped_opted_out, skipped_suppressed FROM retry_failed_campaign(@campaignId)",
            campaignId, cancellationToken);

    /// <summary>A transition that only answers whether it changed the campaign, in the shape of those that queue messages.</summary>
    private static string QueuesNothing(string function) =>
        $"SELECT {function}(@campaignId) AS changed, '{{}}'::bigint[] AS message_ids, now() AS queued_at, 0 AS skipped_opted_out, 0 AS skipped_suppressed";

    /// <summary>Runs the transition and reads the campaign as it left it: one round trip, one implicit transaction.</summary>
    private async Task<ControlResult> ChangeAsync(string transition, long campaignId, CancellationToken cancellationToken)
    {
        var sql = $"""
            {transition};
            SELECT {CampaignRow.Columns} FROM campaign_totals WHERE id = @campaignId;
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { campaignId }, cancellationToken: cancellationToken));
        var change = await results.ReadSingleAsync<Transition>();
        var campaign = await results.ReadSingleOrDefaultAsync<CampaignRow>();
        if (!change.Changed || campaign is null)
        {
            return new(null, campaign?.Status, QueuedMessages.None, SkipCounts.None);
        }
        return new(campaign, campaign.Status, new QueuedMessages(change.MessageIds, change.QueuedAt),
            new SkipCounts(change.SkippedOptedOut, change.SkippedSuppressed, 0));
    }

    private sealed class Transition
    {
        public bool Changed { get; init; }
        public long[] MessageIds { get; init; } = [];
        public DateTime QueuedAt { get; init; }
        public int SkippedOptedOut { get; init; }
        public int SkippedSuppressed { get; init; }
    }
}

using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Every worker transaction that changes message statuses first takes a share lock on the campaigns
/// involved, in id order. Worker transactions share it with each other (their counts go to
/// <c>campaign_tallies</c>, see migration 0005), but not with a pause, cancel, resume or completion,
/// which lock the row for update: a claim that follows the share lock sees the campaign's current
/// status, so once a pause has answered no claim of that campaign can follow it. It also sets the
/// transaction's plans to primary keys (<see cref="PrimaryKeyPlans"/>).
/// </summary>
public static class CampaignLocks
{
    /// <summary>
    /// The rest of a worker transaction reaches rows by primary key only (see the plan fences of
    /// <see cref="ClaimStore"/>): without a sequential scan to fall back on, a batch joined to its input
    /// is one index lookup per row, whatever the statistics say about the table's size.
    /// </summary>
    public const string PrimaryKeyPlans = "SET LOCAL enable_seqscan = off";

    public static Task ShareCampaignsOfMessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long[] messageIds, CancellationToken cancellationToken)
    {
        const string sql = $"""
            {PrimaryKeyPlans};
            SELECT id FROM campaigns
            -- ARRAY(…): primary-key lookups both ways, whatever the size of either table.
            WHERE id = ANY(ARRAY(SELECT DISTINCT campaign_id FROM outbound_messages WHERE id = ANY(@messageIds)))
            ORDER BY id
            FOR SHARE
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { messageIds }, transaction, cancellationToken: cancellationToken));
    }
}

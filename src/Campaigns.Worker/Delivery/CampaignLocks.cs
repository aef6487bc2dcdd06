using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Every worker transaction that changes message statuses first takes a share lock on the campaigns
/// involved, in id order. Worker transactions share it with each other (their counts go to
/// <c>campaign_tallies</c>, see migration 0005), but not with a pause, cancel, resume or completion,
/// which lock the row for update: a claim that follows the share lock sees the campaign's current
/// status, so once a pause has answered no claim of that campaign can follow it.
/// </summary>
public static class CampaignLocks
{
    public static Task ShareCampaignsOfMessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long[] messageIds, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM campaigns
            -- ARRAY(…): primary-key lookups both ways, whatever the size of either table.
            WHERE id = ANY(ARRAY(SELECT DISTINCT campaign_id FROM outbound_messages WHERE id = ANY(@messageIds)))
            ORDER BY id
            FOR SHARE
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { messageIds }, transaction, cancellationToken: cancellationToken));
    }
}

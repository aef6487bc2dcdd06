using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Every transaction that changes message statuses (and so the campaign counters) first locks the
/// campaigns involved, in id order. The API's send, pause and cancel lock the campaign row first too,
/// so transactions never wait on each other in a cycle, and a claim that follows the lock sees the
/// campaign's current status (a pause that has answered stops further claims).
/// </summary>
public static class CampaignLocks
{
    public static Task LockCampaignsOfMessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long[] messageIds, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM campaigns
            WHERE id IN (SELECT campaign_id FROM outbound_messages WHERE id = ANY(@messageIds))
            ORDER BY id
            FOR NO KEY UPDATE
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { messageIds }, transaction, cancellationToken: cancellationToken));
    }

    public static Task LockCampaignsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long[] campaignIds, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM campaigns WHERE id = ANY(@campaignIds) ORDER BY id FOR NO KEY UPDATE
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { campaignIds }, transaction, cancellationToken: cancellationToken));
    }
}

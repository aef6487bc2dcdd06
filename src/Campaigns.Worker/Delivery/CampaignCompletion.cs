using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// A <c>sending</c> campaign with no message left <c>pending</c> or <c>sending</c> becomes <c>sent</c>
/// (at least one sent) or <c>failed</c>. The status guard makes it happen exactly once, whichever
/// replica or path (outcome batch, periodic sweep) gets there first.
/// </summary>
public static class CampaignCompletion
{
    public sealed record Completed(long Id, string Status);

    /// <param name="campaignIds">The campaigns to check; null checks every campaign being sent (the sweep).</param>
    public static async Task<IReadOnlyList<Completed>> CompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long[]? campaignIds, CancellationToken cancellationToken)
    {
        if (campaignIds is { Length: 0 })
        {
            return [];
        }
        const string sql = """
            UPDATE campaigns
            SET status = CASE WHEN sent_count > 0 THEN 'sent' ELSE 'failed' END, updated_at = now()
            WHERE status = 'sending'
              AND (@campaignIds::bigint[] IS NULL OR id = ANY(@campaignIds))
              AND pending_count = 0 AND sending_count = 0
            RETURNING id, status
            """;
        var completed = await connection.QueryAsync<Completed>(new CommandDefinition(
            sql, new { campaignIds }, transaction, cancellationToken: cancellationToken));
        return completed.AsList();
    }
}

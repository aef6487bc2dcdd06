namespace Campaigns.Worker.Delivery;

/// <summary>
/// The statement that adds a worker transaction's counter changes to <c>campaign_tallies</c>
/// (migration 0005) instead of the campaign row, so batches of one campaign do not queue on one row.
/// </summary>
public static class CampaignTallies
{
    /// <summary>Rows per campaign: one per backend modulo this, so concurrent transactions rarely meet.</summary>
    private const string Slot = "(pg_backend_pid() % 8)::smallint";

    /// <param name="deltas">A query with <c>campaign_id, pending, sending, sent, failed, cancelled</c> (signed changes).</param>
    /// <remarks>Rows in campaign order: two transactions that meet on a slot lock its rows in the same order.</remarks>
    public static string Add(string deltas) => $"""
        INSERT INTO campaign_tallies AS t (campaign_id, slot, pending_count, sending_count, sent_count, failed_count, cancelled_count)
        SELECT d.campaign_id, {Slot}, d.pending, d.sending, d.sent, d.failed, d.cancelled
        FROM ({deltas}) d
        ORDER BY d.campaign_id
        ON CONFLICT (campaign_id, slot) DO UPDATE SET
            pending_count = t.pending_count + excluded.pending_count,
            sending_count = t.sending_count + excluded.sending_count,
            sent_count = t.sent_count + excluded.sent_count,
            failed_count = t.failed_count + excluded.failed_count,
            cancelled_count = t.cancelled_count + excluded.cancelled_count
        """;
}

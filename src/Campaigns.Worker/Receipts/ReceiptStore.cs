using Dapper;
using Npgsql;

namespace Campaigns.Worker.Receipts;

/// <summary>The state machine's receipt functions (migration 0011): apply a batch, drop the stale; on the applier's own connections.</summary>
public sealed class ReceiptStore([FromKeyedServices(ReceiptApplierRegistration.ConnectionKey)] NpgsqlDataSource dataSource)
{
    /// <summary>One message a batch of receipts touched.</summary>
    public sealed record AppliedReceipt(
        long MessageId, long CampaignId, string OldStatus, string Status, bool NewlyRead, string? SendTrace,
        DateTime? SentAt, DateTime? DecidedAt);

    public async Task<IReadOnlyList<AppliedReceipt>> ApplyAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AppliedReceipt>(new CommandDefinition(
            "SELECT message_id, campaign_id, old_status, status, newly_read, send_trace, sent_at, decided_at FROM apply_receipts(@limit)",
            new { limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<int> DropStaleAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT drop_stale_receipts(@olderThan)", new { olderThan }, cancellationToken: cancellationToken));
    }
}

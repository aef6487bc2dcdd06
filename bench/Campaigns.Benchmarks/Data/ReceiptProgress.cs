using Dapper;

namespace Campaigns.Benchmarks.Data;

/// <summary>How far the worker has applied a campaign's receipts, read from what it wrote.</summary>
public static class ReceiptProgress
{
    /// <summary>The campaign's counters as the API reads them (<c>campaign_totals</c>): still sent, and delivered.</summary>
    public static async Task<(int Sent, int Delivered)> CountsAsync(BenchDatabase database, long campaignId,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(int, int)>(new CommandDefinition(
            "SELECT sent_count, delivered_count FROM campaign_totals WHERE id = @campaignId", new { campaignId },
            cancellationToken: cancellationToken));
    }

    /// <summary>Polls the campaign's delivered counter until it reaches <paramref name="expected"/>.</summary>
    public static async Task WaitUntilDeliveredAsync(BenchDatabase database, long campaignId, int expected, TimeSpan interval,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while ((await CountsAsync(database, campaignId, deadline.Token)).Delivered < expected)
            {
                await Task.Delay(interval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var (sent, delivered) = await CountsAsync(database, campaignId, cancellationToken);
            throw new TimeoutException($"After {timeout}: campaign {campaignId} has {delivered} of {expected} delivered, {sent} still sent");
        }
    }

    /// <summary>Receipts stored by the webhooks and not yet applied (those waiting for their message id aside).</summary>
    public static async Task<long> InboxAsync(BenchDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM provider_receipts WHERE waiting_since IS NULL", cancellationToken: cancellationToken));
    }

    /// <summary>
    /// When each delivered message was applied: its <c>updated_at</c>, which <c>apply_receipts</c> sets (the
    /// applying transaction's start; nothing moves a delivered message again), by provider message id.
    /// The database runs on the harness's host, so the two share a clock.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, DateTime>> AppliedAtAsync(BenchDatabase database, long campaignId,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string ProviderMessageId, DateTime UpdatedAt)>(new CommandDefinition(
            "SELECT provider_message_id, updated_at FROM outbound_messages WHERE campaign_id = @campaignId AND status = 'delivered'",
            new { campaignId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.ProviderMessageId, r => DateTime.SpecifyKind(r.UpdatedAt, DateTimeKind.Utc));
    }
}

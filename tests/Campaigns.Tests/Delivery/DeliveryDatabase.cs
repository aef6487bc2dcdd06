using Dapper;
using Npgsql;

namespace Campaigns.Tests.Delivery;

/// <summary>What the tests read back: campaigns, messages and the mock provider's call record.</summary>
public sealed class DeliveryDatabase(NpgsqlDataSource database)
{
    public sealed record Campaign(
        long Id, string Status, int TotalCount, int PendingCount, int SendingCount, int SentCount, int DeliveredCount, int UndeliveredCount,
        int FailedCount, int CancelledCount, int ExpiredCount);

    public sealed record Message(long Id, string Status, int RetryCount, string? LastError);

    public sealed record Call(long MessageId, int Attempt, string IdempotencyKey, DateTime CalledAt, string Worker);

    public async Task<Campaign> CampaignAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<Campaign>(new CommandDefinition("""
            SELECT id, status, total_count AS totalcount, pending_count AS pendingcount, sending_count AS sendingcount,
                   sent_count AS sentcount, delivered_count AS deliveredcount, undelivered_count AS undeliveredcount,
                   failed_count AS failedcount, cancelled_count AS cancelledcount, expired_count AS expiredcount
            FROM campaign_totals WHERE id = @campaignId
            """, new { campaignId }, cancellationToken: cancellationToken));
    }

    public async Task<Dictionary<long, Message>> MessagesAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Message>(new CommandDefinition("""
            SELECT id, status, retry_count AS retrycount, last_error AS lasterror
            FROM outbound_messages WHERE campaign_id = @campaignId
            """, new { campaignId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(m => m.Id);
    }

    /// <summary>The per-status counts, from the messages themselves.</summary>
    public async Task<Dictionary<string, int>> StatusCountsAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition("""
            SELECT status, count(*) FROM outbound_messages WHERE campaign_id = @campaignId GROUP BY status
            """, new { campaignId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Status, r => (int)r.Count);
    }

    public async Task<List<Call>> CallsAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Call>(new CommandDefinition("""
            SELECT s.outbound_message_id AS messageid, s.attempt, s.idempotency_key AS idempotencykey,
                   s.called_at AS calledat, s.worker
            FROM sender_calls s JOIN outbound_messages m ON m.id = s.outbound_message_id
            WHERE m.campaign_id = @campaignId
            ORDER BY s.outbound_message_id, s.attempt
            """, new { campaignId }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Polls until the campaign leaves <paramref name="from"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<Campaign> WaitUntilNotAsync(long campaignId, string from, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var campaign = await CampaignAsync(campaignId, deadline.Token);
                if (campaign.Status != from)
                {
                    return campaign;
                }
                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var campaign = await CampaignAsync(campaignId, cancellationToken);
            throw new TimeoutException($"Campaign {campaignId} still {from} after {timeout}: {campaign}");
        }
    }

    /// <summary>Counters equal the per-status counts of the messages, and add up to the total.</summary>
    public async Task AssertCountersMatchAsync(long campaignId, CancellationToken cancellationToken)
    {
        var campaign = await CampaignAsync(campaignId, cancellationToken);
        var counts = await StatusCountsAsync(campaignId, cancellationToken);
        int Count(string status) => counts.GetValueOrDefault(status);
        Assert.Equal(counts.Values.Sum(), campaign.TotalCount);
        Assert.Equal(Count("pending"), campaign.PendingCount);
        Assert.Equal(Count("sending"), campaign.SendingCount);
        Assert.Equal(Count("sent"), campaign.SentCount);
        Assert.Equal(Count("delivered"), campaign.DeliveredCount);
        Assert.Equal(Count("undelivered"), campaign.UndeliveredCount);
        Assert.Equal(Count("failed"), campaign.FailedCount);
        Assert.Equal(Count("cancelled"), campaign.CancelledCount);
        Assert.Equal(Count("expired"), campaign.ExpiredCount);
    }
}

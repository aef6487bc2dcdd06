using System.Diagnostics;
using Campaigns.Benchmarks.Data;
using Dapper;

namespace Campaigns.Benchmarks.Floors;

/// <summary>
/// The floor of <c>receipts</c>: the row work of applying N delivered receipts done by raw SQL in large
/// batches on one connection, with no webhook, no inbox and no applier: per batch one
/// <c>UPDATE … FROM unnest(provider message ids)</c>, each message found through
/// <c>provider_message_ids</c> (its primary key, then the message's by (id, campaign_id)), <c>sent → delivered</c> with <c>delivered_at</c>, the campaign's counters moved in the same
/// statement. The messages are accepted ones of a campaign of their own (<see cref="SentMessages"/>).
/// </summary>
public static class ReceiptFloor
{
    private const string Deliver = """
        WITH delivered AS (
            UPDATE outbound_messages m
            SET status = 'delivered', delivered_at = now(), updated_at = now()
            FROM unnest(@providerMessageIds::text[]) AS i(provider_message_id)
            JOIN provider_message_ids p ON p.provider = @provider AND p.provider_message_id = i.provider_message_id
            WHERE m.id = p.message_id AND m.campaign_id = p.campaign_id AND m.status = 'sent'
            RETURNING m.campaign_id
        )
        UPDATE campaigns c
        SET sent_count = c.sent_count - n.total, delivered_count = c.delivered_count + n.total, updated_at = now()
        FROM (SELECT campaign_id, count(*)::int AS total FROM delivered GROUP BY campaign_id) n
        WHERE c.id = n.campaign_id
        """;

    /// <returns>Receipts per second.</returns>
    public static async Task<double> MeasureAsync(BenchDatabase database, IReadOnlyList<SentMessages.Message> messages,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        foreach (var batch in messages.Chunk(DeliveryFloor.BatchSize))
        {
            await connection.ExecuteAsync(new CommandDefinition(Deliver,
                new { provider = SentMessages.Provider, providerMessageIds = batch.Select(m => m.ProviderMessageId).ToArray() },
                cancellationToken: cancellationToken));
        }
        var elapsed = Stopwatch.GetElapsedTime(started);

        var delivered = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM outbound_messages WHERE id = ANY(@ids) AND status = 'delivered'",
            new { ids = messages.Select(m => m.Id).ToArray() }, cancellationToken: cancellationToken));
        if (delivered != messages.Count)
        {
            throw new InvalidOperationException($"The receipt floor delivered {delivered} of {messages.Count} messages: the row work is wrong");
        }
        return messages.Count / elapsed.TotalSeconds;
    }
}

using Dapper;

namespace Campaigns.Benchmarks.Data;

/// <summary>The receipt inbox written as the webhooks write it (migration 0010's <c>store_receipts</c>), without HTTP.</summary>
public static class ReceiptInbox
{
    /// <summary>A <c>delivered</c> receipt for each message, in one statement.</summary>
    public static async Task StoreDeliveredAsync(BenchDatabase database, IReadOnlyList<SentMessages.Message> messages,
        CancellationToken cancellationToken)
    {
        const string sql = "SELECT store_receipts(@provider, @ids, @kinds, @kinds, @errorCodes, @occurredAt, @suppressPhone)";
        var count = messages.Count;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var stored = await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new
        {
            provider = SentMessages.Provider,
            ids = messages.Select(m => m.ProviderMessageId).ToArray(),
            kinds = Enumerable.Repeat("delivered", count).ToArray(),
            errorCodes = new string?[count],
            occurredAt = new DateTime?[count],
            suppressPhone = new bool[count],
        }, cancellationToken: cancellationToken));
        if (stored != count)
        {
            throw new InvalidOperationException($"store_receipts stored {stored} of {count} receipts");
        }
    }
}

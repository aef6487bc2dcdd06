using Campaigns.Tests.Infrastructure;
using Npgsql;

namespace Campaigns.Tests.Timing;

/// <summary>What the timing tests create and wait for.</summary>
public static class TimingData
{
    /// <summary>A new customer in <paramref name="zone"/>.</summary>
    public static async Task<long> CustomerInAsync(this NpgsqlDataSource database, CancellationToken cancellationToken, string zone)
    {
        var id = await database.InsertCustomerAsync(cancellationToken);
        await database.ExecuteAsync("UPDATE customers SET timezone = @zone WHERE id = @id", new { zone, id }, cancellationToken);
        return id;
    }

    /// <summary>The campaign's message to the customer.</summary>
    public static Task<long> MessageOfAsync(this NpgsqlDataSource database, CancellationToken cancellationToken, long campaign, long customer) =>
        database.ScalarAsync<long>("SELECT id FROM outbound_messages WHERE campaign_id = @campaign AND customer_id = @customer",
            new { campaign, customer }, cancellationToken);

    /// <summary>Polls a message's status until it is <paramref name="status"/>; fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitForStatusAsync(this NpgsqlDataSource database, long messageId, string status, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var current = await database.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE id = @messageId", new { messageId },
                cancellationToken);
            if (current == status)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Message {messageId} is still {current}, not {status}, after {timeout.TotalSeconds:0} s");
            await Task.Delay(100, cancellationToken);
        }
    }
}

using Campaigns.Tests.Infrastructure;
using Npgsql;

namespace Campaigns.Tests.Timing;

public static class TimingWaits
{
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

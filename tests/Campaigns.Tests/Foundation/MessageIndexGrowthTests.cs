using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// What a message's status changes leave in the per-campaign status index (migration 0042; docs/scale.md,
/// "Retention"). Every status change adds an entry for the new status, in ascending id order as a campaign's messages
/// are claimed and answered; the index keeps ids ascending so those entries fill their pages, where a descending index
/// split every page half-empty (about 220 bytes a message for two changes, against about 120).
/// </summary>
public sealed class MessageIndexGrowthTests(AppFixture fixture)
{
    private const int Messages = 10_000;
    private const int Batch = 1_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Claiming_and_answering_a_campaign_in_id_order_leaves_the_status_index_compact()
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        // A session's own copy of a partition, with its indexes as the schema defines them: nothing else writes to it,
        // so its size is this campaign's alone.
        await connection.ExecuteAsync(new CommandDefinition($"""
            CREATE TEMP TABLE status_changes (LIKE outbound_messages_p00 INCLUDING ALL);
            INSERT INTO status_changes (id, campaign_id, customer_id, rendered_content, queued_at) OVERRIDING SYSTEM VALUE
            SELECT g, 1, g, 'Hi Amina, your order is ready', now() FROM generate_series(1, {Messages}) AS g;
            """, cancellationToken: Ct));
        // Claimed, then answered, a batch at a time, each batch its own transaction, as the worker does.
        foreach (var status in new[] { "sending", "sent" })
        {
            for (var first = 1; first <= Messages; first += Batch)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE status_changes SET status = @status WHERE id BETWEEN @first AND @last",
                    new { status, first, last = first + Batch - 1 }, cancellationToken: Ct));
            }
        }
        await connection.ExecuteAsync(new CommandDefinition("VACUUM status_changes", cancellationToken: Ct));

        var bytesPerMessage = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT pg_relation_size(i.indexrelid) / @messages
            FROM pg_index i
            WHERE i.indrelid = 'status_changes'::regclass
              AND pg_get_indexdef(i.indexrelid) LIKE '%(campaign_id, status, id%'
            """, new { messages = Messages }, cancellationToken: Ct));
        await connection.ExecuteAsync(new CommandDefinition("DROP TABLE status_changes", cancellationToken: Ct));

        Assert.InRange(bytesPerMessage, 1, 160);
    }
}

using Campaigns.Core.Data;

namespace Campaigns.Tests.Unit;

public sealed class DatabaseSpanNameTests
{
    [Theory]
    [InlineData("SELECT id, name FROM campaigns WHERE id = @id", "SELECT campaigns")]
    [InlineData("  -- why\n  select count(*) from outbound_messages", "SELECT outbound_messages")]
    [InlineData("SELECT compact_campaign_counts()", "SELECT compact_campaign_counts")]
    [InlineData("INSERT INTO customers (phone) VALUES (@phone) ON CONFLICT (phone) DO UPDATE SET phone = excluded.phone", "INSERT customers")]
    [InlineData("UPDATE campaigns SET status = 'sending' WHERE id IN (SELECT id FROM campaigns FOR UPDATE SKIP LOCKED)", "UPDATE campaigns")]
    [InlineData("DELETE FROM idempotency_keys WHERE expires_at < now()", "DELETE idempotency_keys")]
    [InlineData("WITH page AS (SELECT id FROM outbound_messages FOR UPDATE SKIP LOCKED) UPDATE outbound_messages m SET x = 1 FROM page", "UPDATE outbound_messages")]
    [InlineData("WITH c AS (SELECT id FROM campaigns FOR NO KEY UPDATE) SELECT * FROM c", "SELECT campaigns")]
    [InlineData("COPY outbound_messages (campaign_id) FROM STDIN (FORMAT BINARY)", "COPY outbound_messages")]
    [InlineData("SET LOCAL enable_seqscan = off", "SET")]
    [InlineData("", "postgresql")]
    public void A_database_span_is_named_by_operation_and_table(string sql, string expected) =>
        Assert.Equal(expected, DatabaseSpanNames.For(sql));
}

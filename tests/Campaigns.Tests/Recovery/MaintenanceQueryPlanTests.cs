using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Maintenance;
using Dapper;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// The retry driver's and the lease reconciler's periodic queries read partial indexes, never the whole
/// table, so an idle system costs nothing however many finished messages the table holds.
/// </summary>
public sealed class MaintenanceQueryPlanTests(AppFixture fixture)
{
    private const int FinishedMessages = 20_000;
    private const int FinishedCampaigns = 200;
    [Theory]
    [InlineData("due")]
    [InlineData("leases")]
    public async Task The_periodic_queries_read_only_unfinished_messages(string query)
    {
        var ct = TestContext.Current.CancellationToken;
        var sql = query == "due" ? DueMessageStore.TakeDueSql : LeaseReconciler.ExpiredLeasesSql;
        // A table like production's: mostly finished messages, which the partial index leaves out.
        var customers = await fixture.Database.InsertCustomersAsync(FinishedMessages, ct);
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        var name = Unique.Name("plan");
        await connection.ExecuteAsync(new CommandDefinition("""
            WITH c AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at, total_count, sent_count)
                SELECT @name || '-' || g, 'sms', 'sent', 'Hi', now(), @count / @campaigns, @count / @campaigns
                FROM generate_series(1, @campaigns) AS g RETURNING id),
            numbered AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM c)
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, next_attempt_at)
            SELECT numbered.id, u.customer, 'sent', 'Hi', now()
            FROM unnest(@customers::bigint[]) WITH ORDINALITY AS u(customer, o) JOIN numbered ON numbered.n = (u.o - 1) % @campaigns;
            ANALYZE outbound_messages;
            """, new { name, count = FinishedMessages, campaigns = FinishedCampaigns, customers },
            cancellationToken: ct));
        var partitions = await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT DISTINCT m.tableoid::regclass::text FROM outbound_messages m JOIN campaigns c ON c.id = m.campaign_id
            WHERE c.name LIKE @name || '-%'
            """, new { name }, cancellationToken: ct));
        var parameters = new { limit = 5_000, requeueAfter = TimeSpan.FromSeconds(60), lostBefore = (DateTime?)null };
        var plan = await NestedPlans.CaptureAsync(fixture.Database, sql, parameters, ct);

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        Assert.Empty(MessagePartitions.ReadWhole(plan));
        if (query == "due")
        {
            // Each list is read per campaign being sent, by a partial index of its own or, as the statistics
            // of the moment may decide, by (campaign_id, status) with status pending: never the finished rows.
            var perCampaignPending = plan.Contains("(campaign_id = c.id) AND (status = 'pending'::text)", StringComparison.Ordinal);
            Assert.True(plan.Contains("idx_outbound_messages_waiting", StringComparison.Ordinal) || perCampaignPending, "waiting list");
            Assert.True(plan.Contains("idx_outbound_messages_queued", StringComparison.Ordinal) || perCampaignPending, "queued list");
        }
        else
        {
            // Across all campaigns, so across all partitions: those holding these campaigns through their part of the
            // index (and none read whole, above).
            Assert.Subset(MessagePartitions.ReadThrough(plan, "idx_outbound_messages_leases").ToHashSet(StringComparer.Ordinal),
                partitions.Select(MessagePartitions.Suffix).ToHashSet(StringComparer.Ordinal));
        }
    }
}

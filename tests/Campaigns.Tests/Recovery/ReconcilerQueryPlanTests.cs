using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Maintenance;
using Dapper;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// The periodic queries of the retry driver and the lease reconciler read an index (the partial due index), never the whole table, so an idle system costs nothing
/// however many finished messages the table holds.
/// </summary>
public sealed class ReconcilerQueryPlanTests(AppFixture fixture)
{
    private const int FinishedMessages = 20_000;
    [Theory]
    [InlineData("due")]
    [InlineData("leases")]
    public async Task The_maintenance_queries_use_the_due_index(string query)
    {
        var ct = TestContext.Current.CancellationToken;
        var sql = query == "due" ? DueMessageStore.TakeDueSql : LeaseReconciler.ExpiredLeasesSql;
        // A table like production's: mostly finished messages (which the partial index leaves out).
        var customers = await fixture.Database.InsertCustomersAsync(FinishedMessages, ct);
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            WITH c AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at, total_count, sent_count)
                VALUES (@name, 'sms', 'sent', 'Hi', now(), @count, @count) RETURNING id)
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, next_attempt_at)
            SELECT c.id, u, 'sent', 'Hi', now() FROM c, unnest(@customers::bigint[]) AS u;
            ANALYZE outbound_messages;
            """, new { name = Unique.Name("plan"), count = FinishedMessages, customers }, cancellationToken: ct));
        // The retry driver runs its query in a transaction that rules out sequential scans (DueMessageStore).
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (query == "due")
        {
            await connection.ExecuteAsync(new CommandDefinition(CampaignLocks.PrimaryKeyPlans, transaction: transaction, cancellationToken: ct));
        }
        var plan = string.Join("\n", await connection.QueryAsync<string>(new CommandDefinition(
            "EXPLAIN " + sql, new { limit = 5_000, requeueAfter = TimeSpan.FromSeconds(60) }, transaction, cancellationToken: ct)));

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        // The planner may pick either index that narrows to unfinished rows; what matters is no full scan.
        Assert.DoesNotContain("Seq Scan on outbound_messages", plan);
        Assert.Contains("Index", plan);
    }
}

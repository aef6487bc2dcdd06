using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Delivery;
using Dapper;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// The worker's claim and outcome statements reach their messages through the primary key, even for a
/// campaign the table's statistics do not know yet (sent after the last ANALYZE), where the planner
/// would otherwise believe the campaign has no pending messages and scan all of them for every batch,
/// or expect one row and compare every outcome with every row.
/// </summary>
public sealed class WorkerQueryPlanTests(AppFixture fixture)
{
    private const int Messages = 20_000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("claim")]
    [InlineData("outcomes")]
    public async Task Batches_find_their_messages_by_primary_key_in_a_campaign_newer_than_the_statistics(string statement)
    {
        var customers = await fixture.Database.InsertCustomersAsync(Messages, Ct);
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        // Statistics taken while the table holds finished messages only; then a new campaign's audience arrives.
        var ids = (await connection.QueryAsync<long>(new CommandDefinition("""
            WITH c AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at)
                VALUES (@finished, 'sms', 'sent', 'Hi', now()) RETURNING id)
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, next_attempt_at)
            SELECT c.id, u, 'sent', 'Hi', now() FROM c, unnest(@customers::bigint[]) AS u;
            ANALYZE outbound_messages;
            WITH c AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at)
                VALUES (@fresh, 'sms', 'sending', 'Hi', now()) RETURNING id)
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, next_attempt_at)
            SELECT c.id, u, 'Hi', now() + interval '1 hour' FROM c, unnest(@customers::bigint[]) AS u
            RETURNING id;
            """, new { finished = Unique.Name("plan-finished"), fresh = Unique.Name("plan-fresh"), customers },
            cancellationToken: Ct))).Order().Take(256).ToArray();

        var (sql, parameters) = statement == "claim"
            ? (ClaimStore.ClaimSql, (object)new { messageIds = ids, lease = TimeSpan.FromHours(1), requeueAfter = TimeSpan.FromHours(1) })
            : (OutcomeStore.ApplySql, new
            {
                ids,
                claimedRetryCounts = ids.Select(_ => 0).ToArray(),
                statuses = ids.Select(_ => "sent").ToArray(),
                retryCounts = ids.Select(_ => 0).ToArray(),
                errors = ids.Select(_ => (string?)null).ToArray(),
                delays = ids.Select(_ => TimeSpan.Zero).ToArray(),
                onlyExpiredLeases = false,
            });
        // As in the worker's transactions, which start with the campaign share lock and its plan setting.
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition(CampaignLocks.PrimaryKeyPlans, transaction: transaction, cancellationToken: Ct));
        var plan = string.Join("\n", await connection.QueryAsync<string>(new CommandDefinition(
            "EXPLAIN " + sql, parameters, transaction, cancellationToken: Ct)));

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        Assert.Contains("outbound_messages_pkey on outbound_messages m", plan);
        Assert.DoesNotContain("idx_outbound_messages_campaign", plan);
        Assert.DoesNotContain("idx_outbound_messages_due", plan);
        Assert.DoesNotContain("Seq Scan on outbound_messages", plan);
        if (statement == "outcomes")
        {
            // One primary-key lookup per outcome, not every outcome compared with every row (O(n²)).
            Assert.Contains("Index Cond: (id = t.id)", plan);
        }
    }
}

using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Delivery;
using Dapper;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// The worker's claim, confirmation (of a batch claimed ahead) and outcome statements reach their messages through the primary key, even for a
/// campaign the table's statistics do not know yet (sent after the last ANALYZE), where the planner
/// would otherwise believe the campaign has no pending messages and scan all of them for every batch,
/// or expect one row and compare every outcome with every row. The table is partitioned by campaign (migration 0030):
/// a job carries its campaign, and each message is looked up in its campaign's partition only (0031).
/// </summary>
public sealed class WorkerQueryPlanTests(AppFixture fixture)
{
    private const int Messages = 20_000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("claim")]
    [InlineData("outcomes")]
    [InlineData("confirm")]
    public async Task Batches_find_their_messages_by_primary_key_in_a_campaign_newer_than_the_statistics(string statement)
    {
        var customers = await fixture.Database.InsertCustomersAsync(Messages, Ct);
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        // Statistics taken while the table holds finished messages only; then a new campaign's audience arrives.
        var jobs = (await connection.QueryAsync<(long Id, DateTime QueuedAt, long CampaignId)>(new CommandDefinition("""
            WITH c AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at)
                VALUES (@finished, 'sms', 'sent', 'Hi', now()) RETURNING id)
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, next_attempt_at)
            SELECT c.id, u, 'sent', 'Hi', now() FROM c, unnest(@customers::bigint[]) AS u;
            ANALYZE outbound_messages;
            WITH c AS (
                -- Counted as pending, so that the worker's completion sweep leaves the campaign sending.
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at, total_count, pending_count)
                VALUES (@fresh, 'sms', 'sending', 'Hi', now(), @count, @count) RETURNING id)
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, queued_at)
            SELECT c.id, u, 'Hi', now() + interval '1 hour' FROM c, unnest(@customers::bigint[]) AS u
            RETURNING id, queued_at, campaign_id;
            """, new { finished = Unique.Name("plan-finished"), fresh = Unique.Name("plan-fresh"), count = Messages, customers },
            cancellationToken: Ct))).OrderBy(j => j.Id).Take(256).ToArray();
        var ids = jobs.Select(j => j.Id).ToArray();
        var claim = new
        {
            messageIds = ids, queuedAt = jobs.Select(j => j.QueuedAt).ToArray(), lease = TimeSpan.FromHours(1),
            sendTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            campaignIds = jobs.Select(j => j.CampaignId).ToArray(),
        };

        string plan;
        if (statement == "claim")
        {
            plan = await NestedPlans.CaptureExecutedAsync(fixture.Database, ClaimStore.ClaimSql, claim, Ct);
        }
        else
        {
            // A batch claimed ahead is confirmed before it goes, and outcomes apply to claimed messages: claimed (and
            // rolled back with the rest) in the same call.
            var (sql, parameters) = statement == "confirm"
                ? (ClaimStore.ConfirmSql, (object)new { ids, retryCounts = ids.Select(_ => 0).ToArray() })
                : (OutcomeStore.ApplySql, new
                {
                    ids,
                    claimedRetryCounts = ids.Select(_ => 0).ToArray(),
                    statuses = ids.Select(_ => "sent").ToArray(),
                    retryCounts = ids.Select(_ => 0).ToArray(),
                    errors = ids.Select(_ => (string?)null).ToArray(),
                    delays = ids.Select(_ => TimeSpan.Zero).ToArray(),
                    onlyExpiredLeases = false,
                    // Accepted by a provider: the outcome also wakes the receipts that came early for these ids.
                    providers = ids.Select(_ => "twilio").ToArray(),
                    providerMessageIds = ids.Select(id => $"SM-plan-{id}").ToArray(),
                    errorCodes = ids.Select(_ => (string?)null).ToArray(),
                    unknown = ids.Select(_ => false).ToArray(),
                    suppressPhone = ids.Select(_ => false).ToArray(),
                });
            var claimedThen = new DynamicParameters(claim);
            claimedThen.AddDynamicParams(parameters);
            plan = await NestedPlans.CaptureExecutedAsync(fixture.Database, ClaimStore.ClaimSql + ";\n" + sql, claimedThen, Ct);
            // Plans come statement by statement: the second statement's follow the claim call's own.
            plan = plan[plan.IndexOf("Function Scan on claim_messages", StringComparison.Ordinal)..];
        }

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        Assert.Contains("Update on outbound_messages m", plan);
        Assert.Empty(MessagePartitions.ReadWhole(plan));
        // One lookup of (id, campaign_id) per job or outcome, through the primary key or (campaign_id, id): never a range
        // of the campaign's rows, nor every one compared with every row (O(n²)).
        Assert.Matches(@"Index Cond: \(\((id = \w+\.id\) AND \(campaign_id = \w+\.campaign_id|campaign_id = \w+\.campaign_id\) AND \(id = \w+\.id)\)\)", plan);
        Assert.DoesNotMatch(@"Index Cond: \(campaign_id = \w+\.campaign_id\)\n", plan);
        // In the one partition of the jobs' campaign: the other fifteen pruned for every row, never read.
        Assert.Single(MessagePartitions.Executed(plan));
    }
}

using Campaigns.Api.Data;
using Campaigns.MigrationService;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Campaigns.Tests.Sending;

/// <summary>
/// The send's frequency cap reads only the partitions of the campaigns of the channel that wrote messages in the last
/// day, each through an index (docs/scale.md, "Partitioned messages"): a lookup by customer alone would read every
/// partition for every customer of the audience. And it reads each such campaign once for the whole chunk, not once
/// per customer, so no index choice can make it cost recipients × campaign size (docs/scale.md, "Retention"). On a
/// database of its own, so that no other test's recent campaigns are in the plan.
/// </summary>
public sealed class FrequencyCapQueryPlanTests(AppFixture fixture)
{
    private const int Customers = 2_000;
    // 200 campaigns of 100 messages each, two days old: every partition holds a realistic share.
    private const int OldCampaigns = 200;
    private const int MessagesPerCampaign = 100;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_cap_reads_each_recent_campaign_of_the_channel_once_a_chunk_by_index_in_its_partition_only()
    {
        await using var database = await FreshDatabase.CreateAsync(fixture, Ct);
        await new DatabaseMigrator(database.ConnectionString, NullLogger.Instance).MigrateAsync(Ct);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        // Old campaigns of both channels; of the last day, two sms campaigns and a whatsapp one, each messaging
        // the first customers.
        var recentSmsPartitions = (await connection.QueryAsync<string>(new CommandDefinition("""
            INSERT INTO customers (phone, first_name) SELECT '+2547' || lpad(g::text, 8, '0'), 'C' FROM generate_series(1, @customers) g;
            WITH c AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at)
                SELECT 'old-' || g, CASE WHEN g % 4 = 0 THEN 'whatsapp' ELSE 'sms' END, 'sent', 'Hi', now() - interval '2 days'
                FROM generate_series(1, @campaigns) g RETURNING id, audience_attached_at)
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, created_at)
            SELECT c.id, 1 + (c.id * 7 + s) % @customers, 'delivered', 'Hi', c.audience_attached_at
            FROM c, generate_series(1, @perCampaign) s;
            WITH c AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at)
                VALUES ('recent-1', 'sms', 'sent', 'Hi', now()), ('recent-2', 'sms', 'sent', 'Hi', now()),
                       ('recent-3', 'whatsapp', 'sent', 'Hi', now())
                RETURNING id, channel)
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content)
            SELECT c.id, u.id, 'delivered', 'Hi' FROM c, customers u WHERE u.id <= 50;
            ANALYZE;
            SELECT DISTINCT m.tableoid::regclass::text FROM outbound_messages m JOIN campaigns c ON c.id = m.campaign_id
            WHERE c.channel = 'sms' AND c.audience_attached_at > now() - interval '1 day';
            """, new { customers = Customers, campaigns = OldCampaigns, perCampaign = MessagesPerCampaign },
            cancellationToken: Ct))).ToHashSet(StringComparer.Ordinal);
        var ids = Enumerable.Range(1, 100).Select(i => (long)i).ToArray();

        var plan = await NestedPlans.CaptureExecutedAsync(dataSource, CampaignSendWriter.ListedCappedRecipientsSql,
            new { ids, channel = "sms", cap = 2 }, Ct);

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        Assert.Empty(MessagePartitions.ReadWhole(plan));
        var executed = MessagePartitions.Executed(plan);
        Assert.NotEmpty(executed);
        // Pruned as it runs: per recent sms campaign, its partition only, none of the others (the ranges made ahead, the overflow).
        Assert.Subset(recentSmsPartitions, executed.ToHashSet(StringComparer.Ordinal));
        // One lookup per recent sms campaign for the 100 customers together (per customer it would be 200).
        Assert.Equal(2, MessagePartitions.Loops(plan));
    }
}

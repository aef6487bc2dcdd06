using System.Net;
using Campaigns.Core.Queue;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using StackExchange.Redis;

namespace Campaigns.Tests.Sending;

/// <summary>
/// A send publishes its jobs after the commit a page of <c>Send:PublishPageSize</c> message ids at a time,
/// read from the queue index, so the API never holds the whole audience's ids; every job is still
/// published exactly once, with the send's stamp, on its message's shard of the queue.
/// </summary>
public sealed class PagedPublishTests(AppFixture fixture)
{
    // A Redis database no worker reads and no other test writes: its stream holds exactly what this API published.
    private const int RedisDatabase = 3;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_send_to_more_customers_than_a_page_publishes_every_job_once_a_page_at_a_time()
    {
        var location = Unique.Name("paged");
        await fixture.Database.InsertCustomersAsync(40, Ct, location: location);
        var redis = await fixture.Graph.UnreadRedisAsync(RedisDatabase, Ct);
        await using var factory = InProcessApi.Create(await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct),
            redis, web => web.UseSetting("Send:PublishPageSize", "7").UseSetting("Queue:Shards", "3"));
        var shards = new SendQueueShards(3);
        using var client = factory.CreateAuthenticatedClient();
        var campaignId = (await client.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        var response = await client.PostJsonAsync($"/campaigns/{campaignId}/send", new { audience = new { location } }, Ct);

        Assert.Equal(40, response.Expect(HttpStatusCode.Accepted).Json["messages_queued"]!.GetValue<int>());
        var messages = (await QueuedAsync(campaignId)).ToDictionary(m => m.Id, m => m.QueuedAt);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var stream = connection.GetDatabase();
        var ours = new List<(int Shard, RedisValue Entry, SendJob Job)>();
        for (var shard = 0; shard < shards.Count; shard++)
        {
            ours.AddRange((await stream.StreamRangeAsync(shards[shard]).WaitAsync(Ct))
                .Select(entry => (Entry: entry.Id, Job: SendJob.FromEntry(entry)))
                .Where(e => e.Job is { } job && messages.ContainsKey(job.OutboundMessageId))
                .Select(e => (shard, e.Entry, Job: e.Job!.Value)));
        }
        try
        {
            Assert.Equal(messages.Keys.Order(), ours.Select(e => e.Job.OutboundMessageId).Order());
            Assert.All(ours, e => Assert.Equal(e.Job.OutboundMessageId % 3, e.Shard));
            Assert.Equal(3, ours.Select(e => e.Shard).Distinct().Count());
            Assert.All(ours, e => Assert.Equal(messages[e.Job.OutboundMessageId], e.Job.QueuedAt));
            // Each page is published under a span of its own, whose id its jobs carry as their traceparent.
            var pages = ours.GroupBy(e => e.Job.TraceParent).Select(page => page.Select(e => e.Job.OutboundMessageId).Order().ToArray()).ToList();
            Assert.Equal(6, pages.Count);
            Assert.All(pages, page => Assert.InRange(page.Length, 1, 7));
            Assert.Equal(messages.Keys.Order(), pages.OrderBy(page => page[0]).SelectMany(page => page));
        }
        finally
        {
            foreach (var shard in ours.GroupBy(e => e.Shard))
            {
                await stream.StreamDeleteAsync(shards[shard.Key], [.. shard.Select(e => e.Entry)]).WaitAsync(Ct);
            }
            (await client.PostJsonAsync($"/campaigns/{campaignId}/cancel", null, Ct)).Expect(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task A_page_is_one_range_scan_of_the_queue_index_for_a_campaign_sent_after_the_last_analyze()
    {
        const int queued = 20_000;
        var customers = await fixture.Database.InsertCustomersAsync(queued, Ct);
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        var (campaignId, queuedAt) = await connection.QuerySingleAsync<(long, DateTime)>(new CommandDefinition("""
            WITH c AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at, total_count, pending_count)
                VALUES (@name, 'sms', 'sending', 'Hi', now(), @queued, @queued) RETURNING id),
            m AS (
                INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, queued_at, next_attempt_at)
                SELECT c.id, u, 'Hi', now(), now() FROM c, unnest(@customers::bigint[]) AS u)
            SELECT id, now() FROM c
            """, new { name = Unique.Name("page-plan"), queued, customers }, cancellationToken: Ct));
        var afterId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT min(id) + 5000 FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, cancellationToken: Ct));

        var plan = await NestedPlans.CaptureAsync(fixture.Database,
            "SELECT count(*) FROM queued_message_page(@campaignId, @queuedAt, @afterId, 10000)", new { campaignId, queuedAt, afterId }, Ct);

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        // The queue index; or, when the new campaign's rows look few to stale statistics, the per-campaign status
        // index or the primary key from the page's first id on (a campaign's ids are consecutive and the newest in
        // its partition, so that range holds its own rows and those of sends that came after). Either way one
        // bounded range of one partition's index, never the table.
        if (plan.Contains("outbound_messages_pkey"))
        {
            Assert.Contains($"Index Cond: ((id > '{afterId}'::bigint) AND (campaign_id =", plan);
        }
        else
        {
            Assert.True(plan.Contains("idx_outbound_messages_queued") || plan.Contains("idx_outbound_messages_campaign_status_id"), plan);
            Assert.Contains("Index Cond: ((campaign_id =", plan);
        }
        Assert.DoesNotContain("Sort", plan);
        Assert.Empty(MessagePartitions.ReadWhole(plan));
        // In the campaign's partition only: the others pruned as the statement starts.
        Assert.Single(MessagePartitions.Scanned(plan));
        await connection.ExecuteAsync(new CommandDefinition("SELECT cancel_campaign(@campaignId)", new { campaignId }, cancellationToken: Ct));
    }

    private async Task<IReadOnlyList<(long Id, DateTime QueuedAt)>> QueuedAsync(long campaignId)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<(long, DateTime)>(new CommandDefinition(
            "SELECT id, queued_at FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, cancellationToken: Ct))).AsList();
    }
}

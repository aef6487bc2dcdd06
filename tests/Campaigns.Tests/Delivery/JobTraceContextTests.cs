using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Campaigns.Core.Queue;
using Campaigns.Tests.Infrastructure;
using Dapper;
using StackExchange.Redis;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// A job carries the W3C <c>traceparent</c> of the send and nothing of the client's <c>tracestate</c>
/// (up to ~16 KB a request, which would be copied into every one of 100,000 jobs). The API runs in this
/// process publishing to a Redis database no worker reads, so the jobs can be read as published.
/// </summary>
public sealed class JobTraceContextTests(AppFixture fixture)
{
    private const int UnreadDatabase = 7;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Jobs_carry_the_traceparent_and_none_of_the_clients_tracestate()
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.UnreadRedisAsync(UnreadDatabase, Ct);
        await using var factory = InProcessApi.Create(postgres, redis);
        using var api = factory.CreateAuthenticatedClient();
        var campaignId = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(3, Ct);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/campaigns/{campaignId}/send")
        {
            Content = JsonContent.Create(new { customer_ids = customers }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        request.Headers.Add("tracestate", "vendor=" + new string('x', 8_000));

        try
        {
            (await api.SendRawAsync(request, Ct)).Expect(HttpStatusCode.Accepted);

            await using var db = await fixture.Database.OpenConnectionAsync(Ct);
            var messageIds = (await db.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, cancellationToken: Ct))).ToHashSet();
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
            var entries = (await connection.GetDatabase().StreamRangeAsync(CampaignSendsStream.Name).WaitAsync(Ct))
                .Select(SendJobFields)
                .Where(fields => messageIds.Contains(long.Parse(fields[SendJob.MessageIdField])))
                .ToList();
            Assert.Equal(customers.Length, entries.Count);
            Assert.All(entries, fields =>
            {
                Assert.Equal(
                    new[] { SendJob.MessageIdField, SendJob.QueuedAtField, SendJob.TraceParentField, SendJob.CampaignIdField }
                        .Order(StringComparer.Ordinal),
                    fields.Keys.Order(StringComparer.Ordinal));
                Assert.Contains(traceId, fields[SendJob.TraceParentField]);
                Assert.Equal(campaignId.ToString(CultureInfo.InvariantCulture), fields[SendJob.CampaignIdField]);
            });
        }
        finally
        {
            // The messages' jobs went where no worker reads: cancel, so the retry driver never re-queues them.
            await api.PostJsonAsync($"/campaigns/{campaignId}/cancel", null, Ct);
        }
    }

    private static Dictionary<string, string> SendJobFields(StreamEntry entry) =>
        entry.Values.ToDictionary(v => v.Name.ToString(), v => v.Value.ToString());
}

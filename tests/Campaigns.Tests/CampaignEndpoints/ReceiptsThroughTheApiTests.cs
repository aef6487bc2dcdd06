using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.CampaignEndpoints;

/// <summary>
/// Receipts as the API shows them: messages sent through the mock are given provider ids, receipts for them go
/// into the inbox as a webhook stores them (<c>store_receipts</c>), and the worker's applier moves them on; the
/// campaign's stats, the messages and their events follow.
/// </summary>
public sealed class ReceiptsThroughTheApiTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Receipts_move_stats_messages_and_events()
    {
        var customers = await fixture.Database.InsertCustomersAsync(4, Ct);
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = customers }, Ct)).Expect(HttpStatusCode.Accepted);
        await new DeliveryDatabase(fixture.Database).WaitUntilNotAsync(campaignId, "sending", TimeSpan.FromSeconds(60), Ct);
        var ids = await fixture.Database.ScalarAsync<long[]>(
            "SELECT array_agg(id ORDER BY id) FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, Ct);
        // An id at the provider, recorded as an outcome records one; then one receipt each for three of the four messages.
        var providerIds = ids.Select(id => $"test-{Guid.NewGuid():N}").ToArray();
        await fixture.Database.ExecuteAsync("""
            UPDATE outbound_messages m SET provider_message_id = p.provider_id
            FROM unnest(@ids, @providerIds) AS p(id, provider_id) WHERE m.id = p.id AND m.campaign_id = @campaignId;
            SELECT record_provider_ids(@ids, array_fill(@campaignId, ARRAY[cardinality(@ids)]), array_fill('mock'::text, ARRAY[cardinality(@ids)]),
                                       @providerIds);
            SELECT store_receipts('mock', @receiptIds, ARRAY['delivered', 'undelivered', 'read'], ARRAY['DELIVRD', 'UNDELIV', 'read'],
                                  ARRAY[NULL, '30003', NULL], ARRAY[now(), now(), now()]::timestamptz[], ARRAY[false, false, false]);
            """, new { ids, providerIds, campaignId, receiptIds = providerIds[..3] }, Ct);

        var stats = await StatsOnceAppliedAsync(campaignId);
        var read = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{ids[2]}", Ct)).Expect(HttpStatusCode.OK).Json;
        var undelivered = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{ids[1]}", Ct)).Expect(HttpStatusCode.OK).Json;
        var events = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{ids[0]}/events", Ct)).Expect(HttpStatusCode.OK).Json;
        var delivered = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages?status=delivered", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(new JsonObject
        {
            ["total"] = 4, ["pending"] = 0, ["sending"] = 0, ["sent"] = 1, ["delivered"] = 2, ["undelivered"] = 1, ["failed"] = 0,
            ["cancelled"] = 0, ["expired"] = 0, ["read"] = 1, ["clicked"] = 0, ["waiting"] = 0,
        }.ToJsonString(), stats.ToJsonString());
        CampaignStatsTests.AssertStatusesSumToTotal(stats);
        // A read receipt makes a sent message delivered and sets read_at.
        Assert.Equal("delivered", read["status"]!.GetValue<string>());
        Assert.NotNull(read["read_at"]);
        Assert.NotNull(read["delivered_at"]);
        Assert.Equal("undelivered", undelivered["status"]!.GetValue<string>());
        Assert.Equal("30003", undelivered["error_code"]!.GetValue<string>());
        // The mock fails 8% of attempts at random: a failed attempt adds attempt_failed and another claim.
        var timeline = events["data"]!.AsArray().Select(e => (Type: e!["type"]!.GetValue<string>(), Provider: e["provider"]?.GetValue<string>())).ToList();
        Assert.Equal(["queued", "claimed"], timeline[..2].Select(e => e.Type));
        Assert.Equal([("sent", "mock"), ("delivered", "mock")], timeline[^2..]);
        Assert.All(timeline[2..^2], e => Assert.Contains(e.Type, new[] { "attempt_failed", "claimed" }));
        Assert.Equal(2, delivered["pagination"]!["total_count"]!.GetValue<long>());
        Assert.Equal(new[] { ids[2], ids[0] }, delivered["data"]!.AsArray().Select(m => m!["id"]!.GetValue<long>()));
    }

    /// <summary>The campaign's stats once the receipts are applied (nothing left sent but the fourth), polled with a deadline.</summary>
    private async Task<JsonNode> StatsOnceAppliedAsync(long campaignId)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        JsonNode stats;
        while (true)
        {
            stats = (await _api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Expect(HttpStatusCode.OK).Json["stats"]!;
            if (stats["sent"]!.GetValue<int>() == 1 && stats["read"]!.GetValue<int>() == 1)
            {
                return stats;
            }
            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                throw new TimeoutException($"Receipts of campaign {campaignId} not applied within 30 s: {stats.ToJsonString()}");
            }
        }
    }
}

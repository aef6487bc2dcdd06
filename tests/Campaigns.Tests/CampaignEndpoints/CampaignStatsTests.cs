using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.CampaignEndpoints;

/// <summary>
/// Campaign <c>stats</c> after receipts (api.md, "Message statuses and receipts"): eight status counters that sum
/// to <c>total</c>, and <c>read</c> and <c>clicked</c> beside them, each read from its own counter.
/// </summary>
public sealed class CampaignStatsTests(AppFixture fixture)
{
    private static readonly string[] StatusCounters = ["pending", "sending", "sent", "delivered", "undelivered", "failed", "cancelled", "expired"];

    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_name_each_counter_in_order_and_the_statuses_sum_to_the_total()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        // Distinct values, so a counter answered under another's name shows; campaign row and tallies both count.
        await fixture.Database.ExecuteAsync("""
            UPDATE campaigns SET status = 'sent', audience_attached_at = now(), total_count = 36, pending_count = 1,
                   sending_count = 2, sent_count = 3, delivered_count = 4, undelivered_count = 5, failed_count = 6,
                   cancelled_count = 7, expired_count = 8, read_count = 2, clicked_count = 1
            WHERE id = @campaignId;
            INSERT INTO campaign_tallies (campaign_id, slot, total_count, delivered_count, sent_count, read_count, clicked_count)
            VALUES (@campaignId, 0, 0, 3, -3, 1, 1);
            """, new { campaignId }, Ct);

        var campaign = (await _api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Expect(HttpStatusCode.OK).Json;
        // The list from just above this campaign (a cursor is base64url of "v1:<id>"): it comes first.
        var justAbove = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"v1:{campaignId + 1}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var listed = (await _api.GetJsonAsync($"/campaigns?page_size=1&cursor={justAbove}", Ct)).Expect(HttpStatusCode.OK).Json["data"]![0]!;

        var expected = new JsonObject
        {
            ["total"] = 36, ["pending"] = 1, ["sending"] = 2, ["sent"] = 0, ["delivered"] = 7, ["undelivered"] = 5, ["failed"] = 6,
            ["cancelled"] = 7, ["expired"] = 8, ["read"] = 3, ["clicked"] = 2, ["waiting"] = 0,
        };
        Assert.Equal(expected.ToJsonString(), campaign["stats"]!.ToJsonString());
        Assert.Equal(campaignId, listed["id"]!.GetValue<long>());
        Assert.Equal(expected.ToJsonString(), listed["stats"]!.ToJsonString());
        AssertStatusesSumToTotal(campaign["stats"]!);
    }

    /// <summary>The eight status counters count every message once.</summary>
    internal static void AssertStatusesSumToTotal(JsonNode stats) =>
        Assert.Equal(stats["total"]!.GetValue<int>(), StatusCounters.Sum(s => stats[s]!.GetValue<int>()));
}

using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.CampaignEndpoints;

public sealed class MessageEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A message's members, in order (api.md, Part 1 and "Message statuses and receipts").</summary>
    public static readonly string[] MessageFields =
    [
        "id", "campaign_id", "customer_id", "status", "rendered_content", "last_error", "retry_count", "created_at", "updated_at",
        "provider", "provider_message_id", "sent_at", "delivered_at", "read_at", "error_code", "variant", "language", "personalization", "not_before",
    ];

    private async Task<(long CampaignId, long[] MessageIds)> CampaignWithMessagesAsync(int count)
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(count, Ct);
        // Written directly, in states the worker never touches (the campaign is not sending).
        await fixture.Database.ExecuteAsync("""
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, status, last_error, retry_count)
            SELECT @campaignId, c, 'Hello ' || o, CASE WHEN o % 3 = 0 THEN 'failed' ELSE 'sent' END,
                   CASE WHEN o % 3 = 0 THEN 'max retries exceeded: boom' END, CASE WHEN o % 3 = 0 THEN 3 ELSE 0 END
            FROM unnest(@customers) WITH ORDINALITY AS t(c, o);
            UPDATE campaigns SET status = 'sent', audience_attached_at = now(), total_count = @count,
                   failed_count = @count / 3, sent_count = @count - @count / 3 WHERE id = @campaignId;
            """, new { campaignId, customers, count }, Ct);
        var ids = (await fixture.Database.ScalarAsync<long[]>(
            "SELECT array_agg(id ORDER BY id DESC) FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, Ct));
        return (campaignId, ids);
    }

    [Fact]
    public async Task Messages_page_newest_first_with_counts_from_the_campaign()
    {
        var (campaignId, ids) = await CampaignWithMessagesAsync(25);

        var first = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages?page_size=10", Ct)).Expect(HttpStatusCode.OK).Json;
        var cursor = first["pagination"]!["next_cursor"]!.GetValue<string>();
        var second = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages?page_size=10&cursor={cursor}", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(25, first["pagination"]!["total_count"]!.GetValue<long>());
        Assert.Equal(3, first["pagination"]!["total_pages"]!.GetValue<long>());
        var seen = first["data"]!.AsArray().Concat(second["data"]!.AsArray()).Select(m => m!["id"]!.GetValue<long>());
        Assert.Equal(ids.Take(20), seen);
        var message = first["data"]![0]!.AsObject();
        Assert.Equal(MessageFields, message.Select(p => p.Key));
    }

    [Fact]
    public async Task Messages_filter_by_status()
    {
        var (campaignId, _) = await CampaignWithMessagesAsync(9);

        var failed = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages?status=failed", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(3, failed["pagination"]!["total_count"]!.GetValue<long>());
        Assert.All(failed["data"]!.AsArray(), m =>
        {
            Assert.Equal("failed", m!["status"]!.GetValue<string>());
            Assert.Equal("max retries exceeded: boom", m["last_error"]!.GetValue<string>());
            Assert.Equal(3, m["retry_count"]!.GetValue<int>());
        });
        (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages?status=lost", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task A_message_is_found_only_in_its_own_campaign()
    {
        var (campaignId, ids) = await CampaignWithMessagesAsync(2);
        var (otherCampaignId, _) = await CampaignWithMessagesAsync(1);

        var message = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{ids[0]}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(campaignId, message["campaign_id"]!.GetValue<long>());

        (await _api.GetJsonAsync($"/campaigns/{otherCampaignId}/messages/{ids[0]}", Ct)).Expect(HttpStatusCode.NotFound, "MESSAGE_NOT_FOUND");
        (await _api.GetJsonAsync($"/campaigns/987654321/messages/{ids[0]}", Ct)).Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
        (await _api.GetJsonAsync("/campaigns/987654321/messages", Ct)).Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
        (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/abc", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}

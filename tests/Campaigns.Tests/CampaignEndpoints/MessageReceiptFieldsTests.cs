using System.Net;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.CampaignEndpoints;

/// <summary>A message's provider and receipt fields (api.md, "Message statuses and receipts"), and the status filter over the new statuses.</summary>
public sealed class MessageReceiptFieldsTests(AppFixture fixture)
{
    private static readonly string[] NeverSetByTheMock = ["delivered_at", "read_at", "error_code", "variant", "personalization", "not_before"];

    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_message_sent_through_the_mock_has_every_field_and_no_receipt()
    {
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct)).Expect(HttpStatusCode.Accepted);
        await new DeliveryDatabase(fixture.Database).WaitUntilNotAsync(campaignId, "sending", TimeSpan.FromSeconds(60), Ct);

        var page = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages", Ct)).Expect(HttpStatusCode.OK).Json;
        var message = page["data"]![0]!.AsObject();
        var fetched = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{message["id"]}", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(MessageEndpointTests.MessageFields, message.Select(p => p.Key));
        Assert.Equal(message.ToJsonString(), fetched.ToJsonString());
        // The mock accepts with no id of its own and sends no receipts: its messages stay sent.
        Assert.Equal("sent", message["status"]!.GetValue<string>());
        Assert.Equal("mock", message["provider"]!.GetValue<string>());
        Assert.Null(message["provider_message_id"]);
        Assert.EndsWith("Z", message["sent_at"]!.GetValue<string>());
        Assert.All(NeverSetByTheMock, field => Assert.Null(message[field]));
        // The language of the template used: base_template's, the campaign's default_language (en).
        Assert.Equal("en", message["language"]!.GetValue<string>());
    }

    [Fact]
    public async Task Provider_and_receipt_fields_are_answered_as_recorded()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct, channel: "whatsapp"))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var messageId = await fixture.Database.ScalarAsync<long>("""
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, status, provider, provider_message_id,
                                           sent_at, delivered_at, read_at, error_code)
            VALUES (@campaignId, @customer, 'Hi', 'delivered', 'whatsapp-cloud', @providerId,
                    '2026-11-29T10:00:00.123456Z', '2026-11-29T10:00:05Z', '2026-11-29T10:01:00Z', '131049')
            RETURNING id
            """, new { campaignId, customer, providerId = "wamid." + Guid.NewGuid().ToString("N") }, Ct);

        var message = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{messageId}", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal("delivered", message["status"]!.GetValue<string>());
        Assert.Equal("whatsapp-cloud", message["provider"]!.GetValue<string>());
        Assert.StartsWith("wamid.", message["provider_message_id"]!.GetValue<string>());
        Assert.Equal("2026-11-29T10:00:00.123456Z", message["sent_at"]!.GetValue<string>());
        Assert.Equal("2026-11-29T10:00:05Z", message["delivered_at"]!.GetValue<string>());
        Assert.Equal("2026-11-29T10:01:00Z", message["read_at"]!.GetValue<string>());
        // As the provider gave it: a string, even when it looks like a number.
        Assert.Equal("131049", message["error_code"]!.GetValue<string>());
        Assert.Null(message["variant"]);
        Assert.Null(message["language"]);
        Assert.Null(message["personalization"]);
    }

    [Theory]
    [InlineData("delivered")]
    [InlineData("undelivered")]
    [InlineData("expired")]
    [InlineData("sent")]
    public async Task The_status_filter_takes_the_receipt_statuses_and_counts_from_the_campaign(string status)
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(8, Ct);
        // Two messages in each of four statuses, written directly (the campaign is not sending), counters to match.
        await fixture.Database.ExecuteAsync("""
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, status)
            SELECT @campaignId, c, 'Hi', (ARRAY['sent', 'delivered', 'undelivered', 'expired'])[(o - 1) % 4 + 1]
            FROM unnest(@customers) WITH ORDINALITY AS t(c, o);
            UPDATE campaigns SET status = 'sent', audience_attached_at = now(), total_count = 8,
                   sent_count = 2, delivered_count = 2, undelivered_count = 2, expired_count = 2
            WHERE id = @campaignId;
            """, new { campaignId, customers }, Ct);

        var page = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages?status={status}", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(2, page["pagination"]!["total_count"]!.GetValue<long>());
        var statuses = page["data"]!.AsArray().Select(m => m!["status"]!.GetValue<string>());
        Assert.Equal(new[] { status, status }, statuses);
    }

    [Fact]
    public async Task Read_is_not_a_status()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        var refused = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages?status=read", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Contains("pending, sending, sent, delivered, undelivered, failed, cancelled, expired", refused.Json["errors"]!["status"]![0]!.GetValue<string>());
    }
}

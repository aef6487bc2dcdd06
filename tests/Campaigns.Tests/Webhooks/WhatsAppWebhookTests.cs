using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Webhooks;

/// <summary>Meta's verification request and WhatsApp Cloud notifications: signed over the raw body, mapped, stored.</summary>
public sealed class WhatsAppWebhookTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string MessageId() => "wamid." + Guid.NewGuid().ToString("N");

    private static string Notification(string value) => $$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":
          {"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},{{{value}}}}}]}]}
        """;

    private static string Status(string id, string status, string timestamp = "1700000000", string extra = "") =>
        $$$"""{"id":"{{{id}}}","status":"{{{status}}}","timestamp":"{{{timestamp}}}","recipient_id":"254711000111","biz_opaque_callback_data":"msg-12"{{{extra}}}}""";

    [Fact]
    public async Task The_verification_request_answers_the_challenge_only_with_the_verify_token()
    {
        var ok = $"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={WebhookApi.WhatsAppVerifyToken}&hub.challenge=1158201444";

        using var verified = await api.Client.GetAsync(ok, Ct);
        var wrongToken = await api.Client.GetJsonAsync("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", Ct);
        var wrongMode = await api.Client.GetJsonAsync(
            $"/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token={WebhookApi.WhatsAppVerifyToken}&hub.challenge=1", Ct);
        var nothing = await api.Client.GetJsonAsync("/webhooks/whatsapp", Ct);

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal("text/plain", verified.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await verified.Content.ReadAsStringAsync(Ct));
        wrongToken.Expect(HttpStatusCode.Forbidden, "INVALID_SIGNATURE");
        wrongMode.Expect(HttpStatusCode.Forbidden, "INVALID_SIGNATURE");
        nothing.Expect(HttpStatusCode.Forbidden, "INVALID_SIGNATURE");
    }

    [Theory]
    [InlineData("sent", "sent")]
    [InlineData("delivered", "delivered")]
    [InlineData("read", "read")]
    [InlineData("failed", "undelivered")]
    [InlineData("deleted", "provider_status")]
    public async Task A_signed_status_is_stored_as_its_receipt_kind_at_its_timestamp(string status, string kind)
    {
        var id = MessageId();
        var errors = status == "failed" ? ""","errors":[{"code":131026,"title":"Message undeliverable"},{"code":131000,"title":"x"}]""" : "";

        var response = await api.SendAsync(WebhookApi.WhatsAppRequest(Notification($$"""
            "statuses":[{{Status(id, status, "1700000123", errors)}}]
            """)));

        response.Expect(HttpStatusCode.OK);
        Assert.Equal("", response.Text);
        var receipt = Assert.Single(await api.ReceiptsAsync("whatsapp-cloud", id));
        Assert.Equal(kind, receipt.Kind);
        Assert.Equal(status, receipt.ProviderStatus);
        Assert.Equal(status == "failed" ? "131026" : null, receipt.ErrorCode);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000123).UtcDateTime, receipt.OccurredAt);
        Assert.False(receipt.SuppressPhone);
    }

    [Fact]
    public async Task Every_status_of_one_notification_is_stored()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => MessageId()).ToArray();
        var json = $$$"""
            {"object":"whatsapp_business_account","entry":[
              {"id":"1","changes":[{"field":"messages","value":{"statuses":[{{{Status(ids[0], "sent")}}},{{{Status(ids[1], "delivered")}}}]}}]},
              {"id":"2","changes":[{"field":"messages","value":{"statuses":[{{{Status(ids[2], "read")}}}]}}]}]}
            """;

        (await api.SendAsync(WebhookApi.WhatsAppRequest(json))).Expect(HttpStatusCode.OK);

        Assert.Equal("sent", Assert.Single(await api.ReceiptsAsync("whatsapp-cloud", ids[0])).Kind);
        Assert.Equal("delivered", Assert.Single(await api.ReceiptsAsync("whatsapp-cloud", ids[1])).Kind);
        Assert.Equal("read", Assert.Single(await api.ReceiptsAsync("whatsapp-cloud", ids[2])).Kind);
    }

    [Fact]
    public async Task A_wrong_or_missing_signature_is_401_and_stores_nothing()
    {
        var id = MessageId();
        var json = Notification($$""" "statuses":[{{Status(id, "delivered")}}] """);
        var body = System.Text.Encoding.UTF8.GetBytes(json);

        var wrongSecret = await api.SendAsync(WebhookApi.WhatsAppRequest(json, WebhookApi.MetaSignature(body, "another-secret")));
        var otherBody = await api.SendAsync(WebhookApi.WhatsAppRequest(json, WebhookApi.MetaSignature(System.Text.Encoding.UTF8.GetBytes(json + " "))));
        var notHex = await api.SendAsync(WebhookApi.WhatsAppRequest(json, "sha256=xyz"));
        var missing = await api.SendAsync(WebhookApi.WhatsAppRequest(json, signed: false));

        wrongSecret.Expect(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        otherBody.Expect(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        notHex.Expect(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        missing.Expect(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        Assert.Empty(await api.ReceiptsAsync("whatsapp-cloud", id));
    }

    [Theory]
    [InlineData("{\"entry\":[", "INVALID_JSON")]
    [InlineData("", "INVALID_JSON")]
    [InlineData("[]", "INVALID_JSON")]
    [InlineData("{\"entry\":\"no\"}", "INVALID_JSON")]
    [InlineData("{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"wamid.x\",\"status\":\"sent\",\"errors\":[{\"code\":\"1\"}]}]}}]}]}", "INVALID_JSON")]
    [InlineData("{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"status\":\"sent\"}]}}]}]}", "VALIDATION_ERROR")]
    [InlineData("{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"wamid.x\",\"status\":\"sent\",\"timestamp\":\"soon\"}]}}]}]}", "VALIDATION_ERROR")]
    [InlineData("{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"id\":\"wamid.y\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]}}]}]}", "VALIDATION_ERROR")]
    public async Task A_signed_body_that_is_not_a_notification_is_400(string json, string code)
    {
        var response = await api.SendAsync(WebhookApi.WhatsAppRequest(json));

        response.Expect(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task A_missing_field_is_named_where_it_sits()
    {
        var response = await api.SendAsync(WebhookApi.WhatsAppRequest(Notification($$"""
            "statuses":[{{Status(MessageId(), "sent")}},{"id":"wamid.z","timestamp":"1700000000"}]
            """)));

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]!["entry[0].changes[0].value.statuses[1].status"]);
    }

    [Fact]
    public async Task An_incoming_text_is_stored_once_with_plus_numbers()
    {
        var id = MessageId();
        var json = Notification($$$"""
            "contacts":[{"profile":{"name":"Amina"},"wa_id":"254711666777"}],
            "messages":[{"from":"254711666777","id":"{{{id}}}","timestamp":"1700000000","type":"text","text":{"body":"START"}},
                        {"from":"254711666777","id":"{{{id}}}-img","timestamp":"1700000001","type":"image","image":{"id":"1","mime_type":"image/jpeg"}}]
            """);

        (await api.SendAsync(WebhookApi.WhatsAppRequest(json))).Expect(HttpStatusCode.OK);
        (await api.SendAsync(WebhookApi.WhatsAppRequest(json))).Expect(HttpStatusCode.OK);

        Assert.Equal(new WebhookApi.StoredInbound("whatsapp", "+254711666777", "+15550783881", "START"),
            Assert.Single(await api.InboundAsync("whatsapp-cloud", id)));
        // Media carries no text to keep.
        Assert.Empty(await api.InboundAsync("whatsapp-cloud", id + "-img"));
    }
}

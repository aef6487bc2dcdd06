using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Webhooks;

/// <summary>Twilio's status callbacks and incoming messages: signed over the public URL and the form, mapped, stored.</summary>
public sealed class TwilioWebhookTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<KeyValuePair<string, string>> StatusForm(string sid, string status, string? errorCode = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", sid), new("SmsSid", sid), new("MessageStatus", status), new("SmsStatus", status),
            new("To", "+254700000001"), new("From", "+15005550006"), new("AccountSid", "AC" + Guid.NewGuid().ToString("N")),
            new("ApiVersion", "2010-04-01"),
        };
        if (errorCode is not null)
        {
            form.Add(new("ErrorCode", errorCode));
        }
        return form;
    }

    private static string StatusPath(string sid) => $"/webhooks/twilio/status?key=msg-{sid[^6..]}";

    [Theory]
    [InlineData("sent", null, "sent")]
    [InlineData("delivered", null, "delivered")]
    [InlineData("undelivered", "30003", "undelivered")]
    [InlineData("failed", "30008", "undelivered")]
    [InlineData("failed", "30036", "expired")]
    [InlineData("read", null, "read")]
    [InlineData("queued", null, "provider_status")]
    [InlineData("accepted", null, "provider_status")]
    [InlineData("scheduled", null, "provider_status")]
    [InlineData("sending", null, "provider_status")]
    [InlineData("canceled", null, "provider_status")]
    [InlineData("partially_delivered", null, "provider_status")]
    public async Task A_signed_status_callback_is_stored_as_its_receipt_kind(string status, string? errorCode, string kind)
    {
        var sid = WebhookApi.TwilioSid();
        var before = DateTime.UtcNow.AddMinutes(-1);

        var response = await api.SendAsync(WebhookApi.TwilioRequest(StatusPath(sid), StatusForm(sid, status, errorCode)));

        response.Expect(HttpStatusCode.NoContent);
        var receipt = Assert.Single(await api.ReceiptsAsync("twilio", sid));
        Assert.Equal(kind, receipt.Kind);
        Assert.Equal(status, receipt.ProviderStatus);
        Assert.Equal(errorCode, receipt.ErrorCode);
        Assert.False(receipt.SuppressPhone);
        // Twilio gives no time of its own: the receipt happened when it reached us.
        Assert.InRange(receipt.OccurredAt, before, DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_wrong_or_missing_signature_is_401_and_stores_nothing()
    {
        var sid = WebhookApi.TwilioSid();
        var form = StatusForm(sid, "delivered");
        var path = StatusPath(sid);

        await AssertRefusedAsync(sid,
            WebhookApi.TwilioRequest(path, form, WebhookApi.TwilioSignature(WebhookApi.PublicBaseUrl.TrimEnd('/') + path, form, "another-token")),
            WebhookApi.TwilioRequest(path, form, "not base64 at all!"),
            WebhookApi.TwilioRequest(path, form, signed: false));
    }

    [Fact]
    public async Task A_signature_over_another_url_or_other_fields_is_refused()
    {
        var sid = WebhookApi.TwilioSid();
        var form = StatusForm(sid, "delivered");
        var signedPath = StatusPath(sid);
        var signature = WebhookApi.TwilioSignature(WebhookApi.PublicBaseUrl.TrimEnd('/') + signedPath, form);

        await AssertRefusedAsync(sid,
            WebhookApi.TwilioRequest(signedPath + "0", form, signature),
            WebhookApi.TwilioRequest(signedPath, form, WebhookApi.TwilioSignature("http://localhost" + signedPath, form)),
            WebhookApi.TwilioRequest(signedPath, StatusForm(sid, "undelivered"), signature));
    }

    /// <summary>Each request is 401 INVALID_SIGNATURE, and no receipt of the message is stored.</summary>
    private async Task AssertRefusedAsync(string sid, params HttpRequestMessage[] requests)
    {
        foreach (var request in requests)
        {
            (await api.SendAsync(request)).Expect(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        }
        Assert.Empty(await api.ReceiptsAsync("twilio", sid));
    }

    [Fact]
    public async Task A_body_that_is_not_a_form_is_400_and_a_missing_field_names_itself()
    {
        var sid = WebhookApi.TwilioSid();
        var path = StatusPath(sid);
        var json = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{\"MessageSid\":\"x\"}", System.Text.Encoding.UTF8, "application/json") };
        json.Headers.Add("X-Twilio-Signature", WebhookApi.TwilioSignature(WebhookApi.PublicBaseUrl.TrimEnd('/') + path, []));
        List<KeyValuePair<string, string>> withoutStatus = [new("MessageSid", sid)];

        var notAForm = await api.SendAsync(json);
        var noStatus = await api.SendAsync(WebhookApi.TwilioRequest(path, withoutStatus));

        notAForm.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        noStatus.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(noStatus.Json["errors"]!["MessageStatus"]);
        Assert.Empty(await api.ReceiptsAsync("twilio", sid));
    }

    [Theory]
    [InlineData("whatsapp:", "whatsapp:+14155238886", "whatsapp", "+14155238886")]
    [InlineData("", "+15005550006", "sms", "+15005550006")]
    public async Task An_incoming_stop_answers_empty_twiml_is_stored_once_and_suppresses_without_a_reply_of_ours(
        string fromPrefix, string to, string channel, string storedTo)
    {
        var sid = WebhookApi.TwilioSid();
        var storedFrom = Unique.KenyanPhone();
        var from = fromPrefix + storedFrom;
        List<KeyValuePair<string, string>> form =
            [new("MessageSid", sid), new("SmsMessageSid", sid), new("From", from), new("To", to), new("Body", "STOP"), new("NumMedia", "0")];

        foreach (var attempt in new[] { 1, 2 })
        {
            using var response = await api.Client.SendAsync(WebhookApi.TwilioRequest("/webhooks/twilio/inbound", form), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("<Response></Response>", await response.Content.ReadAsStringAsync(Ct));
        }

        var stored = Assert.Single(await api.InboundAsync("twilio", sid));
        Assert.Equal(new WebhookApi.StoredInbound(channel, storedFrom, storedTo, "STOP"), stored);
        // Twilio answers STOP itself (Providers:Twilio:HandlesOptOutKeywords, true by default).
        Assert.Equal(("*:keyword", 0), await api.ConsentOfAsync(storedFrom));
    }

    [Fact]
    public async Task Webhooks_need_no_api_key_and_any_other_method_is_405()
    {
        var sid = WebhookApi.TwilioSid();

        // The fixture's client carries no key; a wrong one is no reason to refuse either.
        var request = WebhookApi.TwilioRequest(StatusPath(sid), StatusForm(sid, "sent"));
        request.Headers.Add("X-Api-Key", "not-a-key");
        (await api.SendAsync(request)).Expect(HttpStatusCode.NoContent);
        (await api.Client.GetJsonAsync("/webhooks/twilio/status", Ct)).Expect(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
    }
}

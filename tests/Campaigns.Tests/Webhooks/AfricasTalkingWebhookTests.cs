using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Webhooks;

/// <summary>Africa's Talking's delivery reports and incoming messages: vouched for by the URL's token, mapped, stored.</summary>
public sealed class AfricasTalkingWebhookTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    private const string Delivery = "/webhooks/africastalking/delivery";
    private const string Inbound = "/webhooks/africastalking/inbound";

    private static string ReportId() => "ATXid_" + Guid.NewGuid().ToString("N");

    private static List<KeyValuePair<string, string>> Report(string id, string status, string? failureReason = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("id", id), new("status", status), new("phoneNumber", "+254711222333"), new("networkCode", "63902"), new("retryCount", "0"),
        };
        if (failureReason is not null)
        {
            form.Add(new("failureReason", failureReason));
        }
        return form;
    }

    [Theory]
    [InlineData("Success", null, "delivered", false)]
    [InlineData("Failed", "DeliveryFailure", "undelivered", false)]
    [InlineData("Rejected", "AbsentSubscriber", "undelivered", false)]
    [InlineData("Failed", "UserInBlackList", "undelivered", true)]
    [InlineData("Rejected", "UserInBlackList", "undelivered", true)]
    [InlineData("Sent", null, "sent", false)]
    [InlineData("Buffered", null, "sent", false)]
    [InlineData("Submitted", null, "sent", false)]
    [InlineData("AbsentSubscriber", null, "provider_status", false)]
    public async Task A_delivery_report_with_the_token_is_stored_as_its_receipt_kind(string status, string? failureReason, string kind, bool suppress)
    {
        var id = ReportId();

        var response = await api.SendAsync(WebhookApi.AfricasTalkingRequest(Delivery, Report(id, status, failureReason)));

        response.Expect(HttpStatusCode.NoContent);
        var receipt = Assert.Single(await api.ReceiptsAsync("africastalking", id));
        Assert.Equal(new { Kind = kind, Status = status, Code = failureReason, Suppress = suppress },
            new { receipt.Kind, Status = receipt.ProviderStatus, Code = receipt.ErrorCode, Suppress = receipt.SuppressPhone });
    }

    [Fact]
    public async Task A_wrong_or_missing_token_is_401_and_stores_nothing()
    {
        var id = ReportId();

        var wrong = await api.SendAsync(WebhookApi.AfricasTalkingRequest(Delivery, Report(id, "Success"), WebhookApi.AfricasTalkingToken + "x"));
        var prefix = await api.SendAsync(WebhookApi.AfricasTalkingRequest(Delivery, Report(id, "Success"), WebhookApi.AfricasTalkingToken[..^1]));
        var missing = await api.SendAsync(WebhookApi.AfricasTalkingRequest(Delivery, Report(id, "Success"), token: null));
        var inbound = await api.SendAsync(WebhookApi.AfricasTalkingRequest(Inbound, [new("id", id), new("from", "+254711222333"), new("text", "hi")], "nope"));

        wrong.Expect(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        prefix.Expect(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        missing.Expect(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        inbound.Expect(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        Assert.Empty(await api.ReceiptsAsync("africastalking", id));
        Assert.Empty(await api.InboundAsync("africastalking", id));
    }

    [Fact]
    public async Task A_body_that_is_not_a_form_or_lacks_a_field_is_400()
    {
        var id = ReportId();
        var json = new HttpRequestMessage(HttpMethod.Post, $"{Delivery}?token={WebhookApi.AfricasTalkingToken}")
        {
            Content = new StringContent($$"""{"id":"{{id}}","status":"Success"}""", System.Text.Encoding.UTF8, "application/json"),
        };

        var notAForm = await api.SendAsync(json);
        var noStatus = await api.SendAsync(WebhookApi.AfricasTalkingRequest(Delivery, [new("id", id)]));
        var overLimits = await api.SendAsync(WebhookApi.AfricasTalkingRequest(Delivery,
            [.. Enumerable.Range(0, 1_100).Select(i => new KeyValuePair<string, string>($"f{i}", "x")), new("id", id), new("status", "Success")]));

        notAForm.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        noStatus.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(noStatus.Json["errors"]!["status"]);
        overLimits.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Empty(await api.ReceiptsAsync("africastalking", id));
    }

    [Fact]
    public async Task An_incoming_stop_is_stored_once_as_sms_and_suppresses_the_phone_with_one_confirmation()
    {
        var id = Guid.NewGuid().ToString();
        var phone = Unique.KenyanPhone();
        List<KeyValuePair<string, string>> form =
        [
            new("date", "2026-11-29 10:00:00"), new("from", phone), new("id", id), new("linkId", "SampleLinkId123"),
            new("text", "Stop."), new("to", "21525"), new("networkCode", "63902"),
        ];

        (await api.SendAsync(WebhookApi.AfricasTalkingRequest(Inbound, form))).Expect(HttpStatusCode.NoContent);
        (await api.SendAsync(WebhookApi.AfricasTalkingRequest(Inbound, form))).Expect(HttpStatusCode.NoContent);

        Assert.Equal(new WebhookApi.StoredInbound("sms", phone, "21525", "Stop."), Assert.Single(await api.InboundAsync("africastalking", id)));
        Assert.Equal(("*:keyword", 1), await api.ConsentOfAsync(phone));
    }
}

using System.Net.Http.Json;
using Campaigns.Core.Domain;
using Campaigns.Worker.Providers;
using Microsoft.AspNetCore.WebUtilities;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>
/// Receipts as each provider posts them, to a local stand-in for the API's webhooks: the contract's
/// URLs, the providers' fields, and signatures that verify by the providers' documented algorithms.
/// </summary>
public sealed class SimulatorReceiptTests : IAsyncLifetime
{
    private const string Delivered = "+254712000101";
    private const string Undelivered = "+254712000201";
    private const string Read = "+254712000301";

    private SimulatorRig _rig = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ReceiptSink Sink => _rig.Sink;

    public async ValueTask InitializeAsync() => _rig = await SimulatorRig.StartAsync(null, Ct,
        new SimulatorRule(@"^\+2547120001", Receipt: "delivered"),
        new SimulatorRule(@"^\+2547120002", Receipt: "undelivered", Provider: "twilio", ErrorCode: "30005"),
        new SimulatorRule(@"^\+2547120002", Receipt: "undelivered", Provider: "africastalking", ErrorCode: "AbsentSubscriber"),
        new SimulatorRule(@"^\+2547120002", Receipt: "undelivered", Provider: "whatsapp-cloud", ErrorCode: "131049"),
        new SimulatorRule(@"^\+2547120003", Receipt: "read"));

    public ValueTask DisposeAsync() => _rig.DisposeAsync();

    private string StatusCallback(string key) => $"{Sink.BaseUrl.AbsoluteUri.TrimEnd('/')}/webhooks/twilio/status?key={key}";

    private Task<ProviderOutcome> TwilioAsync(string phone, string key, string channel = Channel.Sms) =>
        _rig.Adapter<TwilioClient>().SendAsync(new TwilioMessage(channel, phone, "Hi", key), Ct);

    [Fact]
    public async Task Twilio_posts_sent_then_delivered_to_the_status_callback_signed_with_the_auth_token()
    {
        var sent = await TwilioAsync(Delivered, "msg-11");

        var receipts = await Sink.WaitForAsync(r => r.Count == 2, Ct);

        Assert.Equal(["sent", "delivered"], receipts.Select(r => r.Form["MessageStatus"]));
        Assert.All(receipts, receipt =>
        {
            Assert.Equal("POST", receipt.Method);
            Assert.Equal(StatusCallback("msg-11"), receipt.Url.AbsoluteUri);
            Assert.StartsWith("application/x-www-form-urlencoded", receipt.ContentType);
            Assert.Equal(sent.ProviderMessageId, receipt.Form["MessageSid"]);
            Assert.Equal(sent.ProviderMessageId, receipt.Form["SmsSid"]);
            Assert.Equal(SimulatorHost.AccountSid, receipt.Form["AccountSid"]);
            Assert.Equal(Delivered, receipt.Form["To"]);
            Assert.Equal("+15005550006", receipt.Form["From"]);
            Assert.Equal("2010-04-01", receipt.Form["ApiVersion"]);
            Assert.False(receipt.Form.ContainsKey("ErrorCode"));
            Assert.Equal(ProviderSignatures.Twilio(StatusCallback("msg-11"), receipt.Form, SimulatorHost.AuthToken), receipt.Header("X-Twilio-Signature"));
            Assert.NotEqual(ProviderSignatures.Twilio(StatusCallback("msg-11"), receipt.Form, "another-token"), receipt.Header("X-Twilio-Signature"));
        });
    }

    [Fact]
    public async Task Twilio_reports_an_undelivered_message_with_the_rules_error_code_and_a_whatsapp_read()
    {
        var undelivered = await TwilioAsync(Undelivered, "msg-12");
        var read = await TwilioAsync(Read, "msg-13", Channel.WhatsApp);

        var receipts = await Sink.WaitForAsync(r => r.Count == 5, Ct);

        var failed = receipts.Single(r => r.Form["MessageSid"] == undelivered.ProviderMessageId && r.Form["MessageStatus"] == "undelivered");
        Assert.Equal("30005", failed.Form["ErrorCode"]);
        Assert.Equal(["sent", "delivered", "read"],
            receipts.Where(r => r.Form["MessageSid"] == read.ProviderMessageId).Select(r => r.Form["MessageStatus"]));
        Assert.All(receipts.Where(r => r.Form["MessageSid"] == read.ProviderMessageId), receipt =>
        {
            Assert.Equal("whatsapp:" + Read, receipt.Form["To"]);
            Assert.Equal(ProviderSignatures.Twilio(StatusCallback("msg-13"), receipt.Form, SimulatorHost.AuthToken), receipt.Header("X-Twilio-Signature"));
        });
    }

    [Fact]
    public async Task Africas_talking_posts_delivery_reports_to_the_registered_url_with_its_token()
    {
        var outcomes = await _rig.Adapter<AfricasTalkingClient>().SendAsync([Delivered, Undelivered], "Hi", Ct);

        var receipts = await Sink.WaitForAsync(r => r.Count == 4, Ct);

        Assert.All(receipts, receipt =>
        {
            Assert.Equal("/webhooks/africastalking/delivery", receipt.Url.AbsolutePath);
            Assert.Equal(SimulatorHost.WebhookToken, QueryHelpers.ParseQuery(receipt.Url.Query)["token"].ToString());
            Assert.Equal("63902", receipt.Form["networkCode"]);
        });
        var delivered = receipts.Where(r => r.Form["id"] == outcomes[0].ProviderMessageId).ToList();
        Assert.Equal(["Sent", "Success"], delivered.Select(r => r.Form["status"]));
        Assert.All(delivered, r => Assert.Equal(Delivered, r.Form["phoneNumber"]));
        Assert.False(delivered[1].Form.ContainsKey("failureReason"));
        var failed = receipts.Where(r => r.Form["id"] == outcomes[1].ProviderMessageId).ToList();
        Assert.Equal(["Sent", "Failed"], failed.Select(r => r.Form["status"]));
        Assert.Equal("AbsentSubscriber", failed[1].Form["failureReason"]);
    }

    [Fact]
    public async Task WhatsApp_posts_sent_delivered_and_read_statuses_signed_with_the_app_secret()
    {
        var cloud = _rig.Adapter<WhatsAppCloudClient>();
        var read = await cloud.SendAsync(new WhatsAppTemplateMessage(Read, "sale", "en", ["Ann"], "msg-21"), Ct);
        var failed = await cloud.SendAsync(new WhatsAppTemplateMessage(Undelivered, "sale", "en", ["Bo"], "msg-22"), Ct);

        var receipts = await Sink.WaitForAsync(r => r.Count == 5, Ct);

        Assert.All(receipts, receipt =>
        {
            Assert.Equal("/webhooks/whatsapp", receipt.Url.PathAndQuery);
            Assert.StartsWith("application/json", receipt.ContentType);
            Assert.Equal(ProviderSignatures.Meta(receipt.Body, SimulatorHost.AppSecret), receipt.Header("X-Hub-Signature-256"));
            Assert.Equal("whatsapp_business_account", (string?)receipt.Json["object"]);
            Assert.Equal("messages", (string?)receipt.Json["entry"]![0]!["changes"]![0]!["field"]);
            Assert.Equal(SimulatorHost.PhoneNumberId, (string?)receipt.Json["entry"]![0]!["changes"]![0]!["value"]!["metadata"]!["phone_number_id"]);
        });
        var readStatuses = receipts.Select(r => r.WhatsAppStatus).Where(s => (string?)s["id"] == read.ProviderMessageId).ToList();
        Assert.Equal(["sent", "delivered", "read"], readStatuses.Select(s => (string?)s["status"]));
        Assert.All(readStatuses, s =>
        {
            Assert.Equal("254712000301", (string?)s["recipient_id"]);
            Assert.Equal("msg-21", (string?)s["biz_opaque_callback_data"]);
        });
        var timestamps = readStatuses.Select(s => long.Parse((string)s["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(timestamps.Order(), timestamps);
        var failure = receipts.Select(r => r.WhatsAppStatus).Single(s => (string?)s["id"] == failed.ProviderMessageId && (string?)s["status"] == "failed");
        Assert.Equal(131049, (int?)failure["errors"]![0]!["code"]);
    }

    [Fact]
    public async Task A_receipt_the_api_answers_with_5xx_is_posted_again_and_a_4xx_is_not()
    {
        Sink.AnswerNext(503, times: 2);
        await TwilioAsync(Delivered, "msg-31");

        // Both receipts got through in the end, each 503 tried again.
        var receipts = await Sink.WaitForAsync(r => r.Count(x => x.AnsweredWith == 204) == 2, Ct);
        Assert.Equal(2, receipts.Count(r => r.AnsweredWith == 503));

        Sink.AnswerNext(401, times: 2);
        await TwilioAsync(Delivered, "msg-32");
        var counters = await WaitForReceiptsAsync(c => c.Refused == 2 && c.Pending == 0);

        Assert.Equal(2, counters.Retried);
        Assert.Equal(2, Sink.Received.Count(r => r.AnsweredWith == 401));
        Assert.Equal(6, Sink.Received.Count);
    }

    [Fact]
    public async Task Held_receipts_stay_unposted_past_their_due_time_and_all_go_out_when_released()
    {
        using (var hold = await _rig.Simulator.Client.PutAsJsonAsync("control/receipts/hold", new { held = true }, Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, hold.StatusCode);
        }
        using (var invalid = await _rig.Simulator.Client.PutAsJsonAsync("control/receipts/hold", new { }, Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);
        }
        await TwilioAsync(Delivered, "msg-41");
        await TwilioAsync(Delivered, "msg-42");
        var answeredAt = DateTime.UtcNow;

        // Every receipt falls due at most ReceiptDelayMaxMs after its send was answered: wait past that.
        await WaitForReceiptsAsync(c => c.Pending == 4);
        await Task.Delay(answeredAt + 2 * SimulatorHost.ReceiptDelayMax - DateTime.UtcNow, Ct);
        Assert.Empty(Sink.Received);

        using (var release = await _rig.Simulator.Client.PutAsJsonAsync("control/receipts/hold", new { held = false }, Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, release.StatusCode);
        }
        var receipts = await Sink.WaitForAsync(r => r.Count == 4, Ct);
        Assert.Equal(2, receipts.Count(r => r.Form["MessageStatus"] == "delivered"));
    }

    private async Task<ReceiptCounts> WaitForReceiptsAsync(Func<ReceiptCounts, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var counts = (await _rig.Simulator.Client.GetFromJsonAsync<ReceiptCounts>("control/receipts", SnakeCase, Ct))!;
            if (done(counts))
            {
                return counts;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Receipt counters never reached the state expected: {counts}");
            await Task.Delay(20, Ct);
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions SnakeCase = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
    };

    private sealed record ReceiptCounts(int Pending, long Posted, long Retried, long Refused, long Abandoned, long Dropped);
}

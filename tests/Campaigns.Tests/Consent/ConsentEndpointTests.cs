using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Consent;

/// <summary>
/// api.md Part 2, "Consent", through the API: keywords from <c>POST /inbound</c>, the suppression list,
/// and <c>customers.opted_out</c> agreeing with it both ways.
/// </summary>
public sealed class ConsentEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(long Id, string Phone)> CustomerAsync(bool optedOut = false)
    {
        var phone = Unique.KenyanPhone();
        var created = (await _api.PostJsonAsync("/customers", new { phone, opted_out = optedOut }, Ct)).Expect(HttpStatusCode.Created).Json;
        return (created["id"]!.GetValue<long>(), phone);
    }

    [Fact]
    public async Task Stop_suppresses_the_phone_on_every_channel_opts_the_customer_out_and_queues_one_confirmation()
    {
        var (id, phone) = await CustomerAsync();

        var inbound = await _api.InboundAsync(phone, " Stop. ", Ct);

        Assert.Equal(("stop", id, "sms", " Stop. ", phone), (inbound["keyword"]!.GetValue<string>(), inbound["customer_id"]!.GetValue<long>(),
            inbound["channel"]!.GetValue<string>(), inbound["text"]!.GetValue<string>(), inbound["from"]!.GetValue<string>()));
        Assert.Null(inbound["provider"]);
        Assert.True(await _api.OptedOutAsync(id, Ct));
        Assert.Equal(["*:keyword"], (await _api.SuppressionsAsync(phone, Ct)).Sources());
        var reply = Assert.Single(await fixture.Database.RepliesAsync(phone, Ct));
        Assert.StartsWith("You are unsubscribed", reply.Body);
        // The worker sends it through the sms chain: the mock here, which fails 8% of attempts at random
        // (then the reply waits 30 s for its next one, with the mock's error).
        var attempt = await fixture.Database.FirstReplyAttemptAsync(phone, Ct);
        Assert.True(attempt is ("sent", "mock", null) or ("pending", "mock", not null), $"The reply's first attempt: {attempt}");
        var listed = (await _api.GetJsonAsync("/inbound?page_size=100", Ct)).Expect(HttpStatusCode.OK).Json["data"]!.AsArray();
        Assert.Contains(listed, m => m!["id"]!.GetValue<long>() == inbound["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Start_lifts_the_stop_and_the_day_allows_one_confirmation_per_phone()
    {
        var (id, phone) = await CustomerAsync();
        await _api.InboundAsync(phone, "STOP", Ct);

        var start = await _api.InboundAsync(phone, "start", Ct);
        await _api.InboundAsync(phone, "HELP", Ct);

        Assert.Equal("start", start["keyword"]!.GetValue<string>());
        Assert.False(await _api.OptedOutAsync(id, Ct));
        Assert.Empty(await _api.SuppressionsAsync(phone, Ct));
        // STOP's confirmation only: START and HELP came the same day.
        var reply = Assert.Single(await fixture.Database.RepliesAsync(phone, Ct));
        Assert.StartsWith("You are unsubscribed", reply.Body);
    }

    [Fact]
    public async Task Other_texts_change_nothing_and_are_stored_without_a_keyword()
    {
        var (id, phone) = await CustomerAsync();

        var inbound = await _api.InboundAsync(phone, "don't stop", Ct);

        Assert.Null(inbound["keyword"]);
        Assert.False(await _api.OptedOutAsync(id, Ct));
        Assert.Empty(await _api.SuppressionsAsync(phone, Ct));
        Assert.Empty(await fixture.Database.RepliesAsync(phone, Ct));
    }

    [Fact]
    public async Task Opted_out_through_the_api_is_an_api_suppression_and_opting_in_removes_only_that()
    {
        var (id, phone) = await CustomerAsync(optedOut: true);
        Assert.Equal(["*:api"], (await _api.SuppressionsAsync(phone, Ct)).Sources());

        await _api.InboundAsync(phone, "STOP", Ct);
        var patched = (await _api.PatchJsonAsync($"/customers/{id}", new { opted_out = false }, Ct)).Expect(HttpStatusCode.OK).Json;

        // The STOP stands: only START or DELETE /suppressions lifts it.
        Assert.True(patched["opted_out"]!.GetValue<bool>());
        Assert.Equal(["*:keyword"], (await _api.SuppressionsAsync(phone, Ct)).Sources());

        (await _api.DeleteJsonAsync($"/suppressions/{Uri.EscapeDataString(phone)}", Ct)).Expect(HttpStatusCode.NoContent);
        Assert.False(await _api.OptedOutAsync(id, Ct));
        (await _api.PatchJsonAsync($"/customers/{id}", new { opted_out = true }, Ct)).Expect(HttpStatusCode.OK);
        Assert.Equal(["*:api"], (await _api.SuppressionsAsync(phone, Ct)).Sources());
        (await _api.PatchJsonAsync($"/customers/{id}", new { opted_out = false }, Ct)).Expect(HttpStatusCode.OK);
        Assert.Empty(await _api.SuppressionsAsync(phone, Ct));
    }

    [Fact]
    public async Task A_suppression_outlives_its_customer_and_a_customer_created_again_reads_opted_out()
    {
        var (id, phone) = await CustomerAsync();
        (await _api.PostJsonAsync("/suppressions", new { phone, reason = "asked by email" }, Ct)).Expect(HttpStatusCode.Created);
        Assert.True(await _api.OptedOutAsync(id, Ct));

        (await _api.DeleteJsonAsync($"/customers/{id}", Ct)).Expect(HttpStatusCode.NoContent);
        var again = (await _api.PostJsonAsync("/customers", new { phone }, Ct)).Expect(HttpStatusCode.Created).Json;

        Assert.True(again["opted_out"]!.GetValue<bool>());
        var suppression = Assert.Single(await _api.SuppressionsAsync(phone, Ct))!;
        Assert.Equal(("api", "asked by email"), (suppression["source"]!.GetValue<string>(), suppression["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Posting_the_same_phone_and_channel_again_answers_200_with_the_one_that_exists()
    {
        var phone = Unique.KenyanPhone();

        var first = (await _api.PostJsonAsync("/suppressions", new { phone, channel = "whatsapp" }, Ct)).Expect(HttpStatusCode.Created).Json;
        var again = (await _api.PostJsonAsync("/suppressions", new { phone, channel = "whatsapp", reason = "other" }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        (await _api.PostJsonAsync("/suppressions", new { phone }, Ct)).Expect(HttpStatusCode.Created);

        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal(["*:api", "whatsapp:api"], (await _api.SuppressionsAsync(phone, Ct)).Sources());
        // One channel's removal leaves the other.
        (await _api.DeleteJsonAsync($"/suppressions/{Uri.EscapeDataString(phone)}?channel=whatsapp", Ct)).Expect(HttpStatusCode.NoContent);
        Assert.Equal(["*:api"], (await _api.SuppressionsAsync(phone, Ct)).Sources());
        (await _api.DeleteJsonAsync($"/suppressions/{Uri.EscapeDataString(phone)}?channel=whatsapp", Ct))
            .Expect(HttpStatusCode.NotFound, "SUPPRESSION_NOT_FOUND");
    }

    [Fact]
    public async Task A_channel_suppression_skips_that_channel_only_and_leaves_the_customer_opted_in()
    {
        var (id, phone) = await CustomerAsync();
        var other = await fixture.Database.InsertCustomerAsync(Ct);
        (await _api.PostJsonAsync("/suppressions", new { phone, channel = "sms" }, Ct)).Expect(HttpStatusCode.Created);
        Assert.False(await _api.OptedOutAsync(id, Ct));

        var sms = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var whatsapp = (await _api.CreateCampaignAsync(Ct, channel: "whatsapp"))["id"]!.GetValue<long>();
        var smsSend = (await _api.PostJsonAsync($"/campaigns/{sms}/send", new { customer_ids = new[] { id, other } }, Ct))
            .Expect(HttpStatusCode.Accepted).Json;
        var whatsappSend = (await _api.PostJsonAsync($"/campaigns/{whatsapp}/send", new { customer_ids = new[] { id, other } }, Ct))
            .Expect(HttpStatusCode.Accepted).Json;

        Assert.Equal((1, 0, 1, 0), (smsSend["messages_queued"]!.GetValue<int>(), smsSend["skipped_opted_out"]!.GetValue<int>(),
            smsSend["skipped_suppressed"]!.GetValue<int>(), smsSend["skipped_frequency_capped"]!.GetValue<int>()));
        Assert.Equal((2, 0), (whatsappSend["messages_queued"]!.GetValue<int>(), whatsappSend["skipped_suppressed"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Bad_input_is_refused_in_the_envelope_and_changes_nothing()
    {
        var phone = Unique.KenyanPhone();

        (await _api.PostJsonAsync("/suppressions", new { phone = "not a phone" }, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PostJsonAsync("/suppressions", new { phone, channel = "email" }, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PostJsonAsync("/suppressions", new { }, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.DeleteJsonAsync("/suppressions/12", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.DeleteJsonAsync($"/suppressions/{Uri.EscapeDataString(phone)}", Ct)).Expect(HttpStatusCode.NotFound, "SUPPRESSION_NOT_FOUND");
        (await _api.PostJsonAsync("/inbound", new { from = phone, text = "STOP" }, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PostJsonAsync("/inbound", new { from = phone, text = " ", channel = "sms" }, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PostJsonAsync("/inbound", new { from = "x", text = "STOP", channel = "sms" }, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.GetJsonAsync("/suppressions?phone=abc", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Empty(await _api.SuppressionsAsync(phone, Ct));
    }
}

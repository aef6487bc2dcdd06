using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Campaigns.AppHost.Providers;
using Campaigns.ProviderSimulator.Sending;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.Simulated;

/// <summary>
/// The whole loop of issue #14 in a graph with the provider simulator: send → provider → signed receipt
/// → webhook inbox → applied in batches → delivered, undelivered and read as the simulator decided, with
/// exact counters; failover while the head of the chain is down and back when it recovers; never a
/// provider call beyond a recorded attempt.
/// </summary>
public sealed class SimulatedDeliveryTests(SimulatedGraph simulated) : IClassFixture<SimulatedGraph>, IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    // Four export intervals of the sink's services (OtlpSink.ExportFrom: 500 ms).
    private static readonly TimeSpan MarkerPatience = TimeSpan.FromSeconds(2);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SendThroughApi _send = new(simulated.Graph, simulated.Database);
    private readonly DeliveryDatabase _db = new(simulated.Database);

    private sealed record Counters(string Status, int Total, int Pending, int Sending, int Sent, int Delivered, int Undelivered,
        int Failed, int Cancelled, int Expired, int Read);

    private sealed record Message(long Id, string Status, string? Provider, string? ProviderMessageId, DateTime? DeliveredAt,
        DateTime? ReadAt, string? ErrorCode, int RetryCount);

    [Fact]
    public async Task A_campaign_ends_delivered_undelivered_and_failed_as_the_simulator_decided_with_exact_counters()
    {
        var delivered = Enumerable.Range(0, 24).Select(_ => Unique.KenyanPhone()).ToList();
        var undelivered = Enumerable.Range(0, 8).Select(_ => Unique.PhoneWithPrefix(SimulatedGraph.UndeliveredPrefix)).ToList();
        var blacklisted = Enumerable.Range(0, 4).Select(_ => Unique.PhoneWithPrefix(SimulatedGraph.BlacklistedPrefix)).ToList();

        var sent = await _send.SendAsync([.. delivered, .. undelivered, .. blacklisted], Ct);
        var counters = await WaitForReceiptsAsync(sent.CampaignId, c => c.Delivered == 24 && c.Undelivered == 8);

        Assert.Equal(new Counters("sent", 36, 0, 0, 0, 24, 8, 4, 0, 0, 0), counters);
        var messages = await MessagesAsync(sent.CampaignId);
        var statusCounts = messages.Values.GroupBy(m => m.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["delivered"] = 24, ["undelivered"] = 8, ["failed"] = 4 }, statusCounts);
        foreach (var phone in delivered)
        {
            var message = messages[sent.MessageIdByPhone[phone]];
            // The head of the chain took it (it was up), and its id joined the receipt.
            Assert.Equal(("delivered", "africastalking"), (message.Status, message.Provider));
            Assert.StartsWith("ATXid_", message.ProviderMessageId);
            Assert.NotNull(message.DeliveredAt);
        }
        Assert.All(undelivered, phone => Assert.Equal("undelivered", messages[sent.MessageIdByPhone[phone]].Status));
        foreach (var phone in blacklisted)
        {
            // A provider-side opt-out: failed at once, never tried elsewhere, and the customer suppressed.
            var message = messages[sent.MessageIdByPhone[phone]];
            var timeline = await simulated.Database.ScalarAsync<string>(
                "SELECT string_agg(type || ' ' || coalesce(provider, '') || ' ' || coalesce(detail, ''), ' | ' ORDER BY id) FROM message_events WHERE message_id = @id",
                new { id = message.Id }, Ct);
            Assert.True(("failed", "406", 1) == (message.Status, message.ErrorCode, message.RetryCount), timeline);
            Assert.True(await simulated.Database.ScalarAsync<bool>("SELECT opted_out FROM customers WHERE phone = @phone", new { phone }, Ct));
        }
        await AssertCalledOncePerAttemptAsync(sent.CampaignId);

        // A message's timeline: queued, claimed, sent by its provider, delivered by its receipt, oldest first.
        using var api = simulated.Graph.CreateClient();
        var first = messages[sent.MessageIdByPhone[delivered[0]]];
        var events = await api.GetJsonAsync($"/campaigns/{sent.CampaignId}/messages/{first.Id}/events", Ct);
        var types = events.Json["data"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["queued", "claimed", "sent"], types.Take(3));
        Assert.Contains("delivered", types);
        Assert.Single(types, t => t == "delivered");
    }

    [Fact]
    public async Task A_WhatsApp_template_campaign_is_read_and_counted_read()
    {
        var customers = await simulated.Database.InsertCustomersAsync(6, Ct, phonePrefix: SimulatedGraph.ReadPrefix);
        var campaignId = await SendWhatsAppAsync("whatsapp-read", customers);

        var counters = await WaitForReceiptsAsync(campaignId, c => c.Read == 6 && c.Delivered == 6);

        Assert.Equal(new Counters("sent", 6, 0, 0, 0, 6, 0, 0, 0, 0, 6), counters);
        var messages = await MessagesAsync(campaignId);
        Assert.All(messages.Values, m =>
        {
            Assert.Equal(("delivered", "whatsapp-cloud"), (m.Status, m.Provider));
            Assert.StartsWith("wamid.", m.ProviderMessageId);
            Assert.NotNull(m.ReadAt);
        });
        await AssertCalledOncePerAttemptAsync(campaignId);
    }

    [Fact]
    public async Task The_simulator_adds_its_spans_to_the_calls_the_worker_traced_and_starts_no_trace_of_its_own()
    {
        var since = DateTimeOffset.UtcNow;
        var customers = await simulated.Database.InsertCustomersAsync(6, Ct);
        var campaignId = await SendWhatsAppAsync("whatsapp-traced", customers);
        await WaitForReceiptsAsync(campaignId, c => c.Delivered == 6);
        // A call that carries no trace, as the worker's untraced calls (beyond a batch's sampled few) arrive: it must
        // leave no trace of its own in the dashboard.
        using (var untraced = await simulated.Simulator.PostAsync("/v21.0/1234/messages", JsonContent.Create(new { to = "254700000000" }), Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, untraced.StatusCode);
        }
        await FlushSimulatorSpansAsync();

        var spans = simulated.Telemetry.Spans(SimulatedProviders.ResourceName).Where(s => s.Start >= since).ToList();
        Assert.Empty(spans.Where(s => s.IsRoot).Select(s => $"{s.Scope} '{s.Name}'"));
        var sends = spans.Where(s => s.Name == $"{ProviderNames.WhatsAppCloud} send").ToList();
        Assert.NotEmpty(sends);
        // Every send span has a parent (above), and the traces they joined are the worker's (which exports on its own
        // schedule: its batch may come a moment later).
        var deadline = DateTime.UtcNow + Timeout;
        while (!sends.Any(s => simulated.Telemetry.HasTrace("worker", s.TraceId)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }
        Assert.Contains(sends, s => simulated.Telemetry.HasTrace("worker", s.TraceId));
    }

    /// <summary>
    /// A request of our own to the simulator inside a sampled trace, waited for in the sink: the simulator's exporter
    /// sends spans in the order they ended, so every span of an earlier request has arrived with or before it. Asked
    /// again every few seconds: an export the loaded sink did not answer in time is dropped, with the marker in it.
    /// </summary>
    private async Task FlushSimulatorSpansAsync()
    {
        var markers = new List<string>();
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            markers.Add(traceId);
            using (var request = new HttpRequestMessage(HttpMethod.Get, "/control/receipts"))
            {
                request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
                using var response = await simulated.Simulator.SendAsync(request, Ct);
                response.EnsureSuccessStatusCode();
            }
            var askAgain = DateTime.UtcNow + MarkerPatience;
            while (DateTime.UtcNow < askAgain)
            {
                if (markers.Any(marker => simulated.Telemetry.HasTrace(SimulatedProviders.ResourceName, marker)))
                {
                    return;
                }
                await Task.Delay(200, Ct);
            }
        }
        Assert.Fail($"None of {markers.Count} traced requests reached the sink from the simulator ({simulated.Telemetry.Summary()})");
    }

    /// <summary>A WhatsApp template campaign (a text per recipient, so a call each) sent to the customers.</summary>
    private async Task<long> SendWhatsAppAsync(string name, long[] customers)
    {
        using var api = simulated.Graph.CreateClient();
        var created = await api.PostJsonAsync("/campaigns", new
        {
            name = Unique.Name(name),
            channel = "whatsapp",
            base_template = "Hi {first_name}, your order is ready",
            whatsapp_template = new { name = "order_ready", language = "en", parameters = new[] { "{first_name}" } },
        }, Ct);
        created.Expect(HttpStatusCode.Created);
        var campaignId = created.Json["id"]!.GetValue<long>();
        (await api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = customers }, Ct)).Expect(HttpStatusCode.Accepted);
        return campaignId;
    }

    [Fact]
    public async Task Sms_moves_to_the_next_provider_while_the_first_is_down_and_returns_when_it_is_back()
    {
        await SetModeAsync("africastalking", "unavailable");
        try
        {
            var phones = Enumerable.Range(0, 20).Select(_ => Unique.KenyanPhone()).ToList();
            var sent = await _send.SendAsync(phones, Ct);
            var counters = await WaitForReceiptsAsync(sent.CampaignId, c => c.Delivered == 20);

            Assert.Equal(("sent", 20), (counters.Status, counters.Delivered));
            var messages = await MessagesAsync(sent.CampaignId);
            // Every message ended at Twilio, at most one attempt lost to the outage each (one text: Africa's
            // Talking got them in one bulk request, the next attempt started after it).
            Assert.All(messages.Values, m => Assert.Equal("twilio", m.Provider));
            Assert.All(messages.Values, m => Assert.InRange(m.RetryCount, 0, 1));
            await AssertCalledOncePerAttemptAsync(sent.CampaignId);
        }
        finally
        {
            await SetModeAsync("africastalking", "up");
        }

        // Back: once its circuit's probe succeeds, messages go to the head of the chain again.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Timeout);
        while (true)
        {
            var again = await _send.SendAsync([Unique.KenyanPhone()], deadline.Token);
            await WaitForReceiptsAsync(again.CampaignId, c => c.Delivered == 1);
            var message = (await MessagesAsync(again.CampaignId)).Values.Single();
            if (message.Provider == "africastalking")
            {
                break;
            }
            await Task.Delay(200, deadline.Token);
        }
    }

    private async Task SetModeAsync(string provider, string mode)
    {
        using var response = await simulated.Simulator.PutAsJsonAsync($"/control/providers/{provider}", new { mode }, Ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Each provider call was recorded before it was made, one per attempt: none repeats an attempt.</summary>
    private async Task AssertCalledOncePerAttemptAsync(long campaignId)
    {
        var calls = await _db.CallsAsync(campaignId, Ct);
        var messages = await MessagesAsync(campaignId);
        foreach (var message in messages.Values)
        {
            var attempts = calls.Where(c => c.MessageId == message.Id).Select(c => c.Attempt).ToList();
            var expected = message.Status == "failed" ? message.RetryCount : message.RetryCount + 1;
            Assert.Equal(Enumerable.Range(1, expected), attempts);
        }
    }

    private async Task<Counters> WaitForReceiptsAsync(long campaignId, Func<Counters, bool> done)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Timeout);
        Counters counters;
        try
        {
            while (!done(counters = await CountersAsync(campaignId, deadline.Token)) || counters.Status == "sending")
            {
                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Campaign {campaignId}: {await CountersAsync(campaignId, Ct)}");
        }
        return counters;
    }

    private async Task<Counters> CountersAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await simulated.Database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<Counters>(new CommandDefinition("""
            SELECT status, total_count AS total, pending_count AS pending, sending_count AS sending, sent_count AS sent,
                   delivered_count AS delivered, undelivered_count AS undelivered, failed_count AS failed,
                   cancelled_count AS cancelled, expired_count AS expired, read_count AS read
            FROM campaign_totals WHERE id = @campaignId
            """, new { campaignId }, cancellationToken: cancellationToken));
    }

    private async Task<Dictionary<long, Message>> MessagesAsync(long campaignId)
    {
        await using var connection = await simulated.Database.OpenConnectionAsync(Ct);
        var rows = await connection.QueryAsync<Message>(new CommandDefinition("""
            SELECT id, status, provider, provider_message_id AS providermessageid, delivered_at AS deliveredat,
                   read_at AS readat, error_code AS errorcode, retry_count AS retrycount
            FROM outbound_messages WHERE campaign_id = @campaignId
            """, new { campaignId }, cancellationToken: Ct));
        return rows.ToDictionary(m => m.Id);
    }

    public async ValueTask DisposeAsync() => await _send.DisposeAsync();
}

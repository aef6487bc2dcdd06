using Campaigns.Core.Domain;
using Campaigns.Worker.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>
/// The disorder real providers cause, each forced by its rate set to 1: a receipt twice, the final
/// receipt before <c>sent</c>, and <c>sent</c> before the send's answer.
/// </summary>
public sealed class SimulatorReceiptOrderTests : IAsyncLifetime
{
    private ReceiptSink _sink = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sink = await ReceiptSink.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    private async Task<ProviderOutcome> SendDeliveredAsync(string rate, int receiptDelayMs = 200)
    {
        await using var simulator = SimulatorHost.Start(_sink.BaseUrl, new Dictionary<string, string?>
        {
            [$"Simulator:{rate}"] = "1",
            ["Simulator:ReceiptDelayMinMs"] = receiptDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simulator:ReceiptDelayMaxMs"] = receiptDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, new SimulatorRule(".", Receipt: "delivered"));
        using var adapters = SimulatorAdapters.Build(simulator, _sink.BaseUrl);
        var outcome = await adapters.Services.GetRequiredService<TwilioClient>()
            .SendAsync(new TwilioMessage(Channel.Sms, "+254714000001", "Hi", "msg-1"), Ct);
        // Held until the receipts are in: stopping the simulator would drop those still queued.
        await _sink.WaitForAsync(r => r.Count >= (rate == "DuplicateRate" ? 3 : 2), Ct);
        return outcome;
    }

    [Fact]
    public async Task A_duplicated_receipt_is_posted_twice_alike()
    {
        await SendDeliveredAsync("DuplicateRate");

        var receipts = _sink.Received;
        Assert.Equal(3, receipts.Count);
        Assert.Single(receipts.GroupBy(r => r.Text), copies => copies.Count() == 2);
        Assert.Equal(["delivered", "sent"], receipts.Select(r => r.Form["MessageStatus"]).Distinct().Order());
    }

    [Fact]
    public async Task An_out_of_order_final_receipt_arrives_before_sent()
    {
        await SendDeliveredAsync("OutOfOrderRate");

        Assert.Equal(["delivered", "sent"], _sink.Received.Select(r => r.Form["MessageStatus"]));
    }

    [Fact]
    public async Task An_early_sent_receipt_arrives_before_the_send_is_answered()
    {
        await using var simulator = SimulatorHost.Start(_sink.BaseUrl, new Dictionary<string, string?>
        {
            ["Simulator:EarlyRate"] = "1",
            // Long enough that the delivered receipt cannot also be there when the answer comes back on a loaded
            // machine (at 300 ms, a send slow to answer under a full test run let it in before the first check).
            ["Simulator:ReceiptDelayMinMs"] = "2000",
            ["Simulator:ReceiptDelayMaxMs"] = "2000",
        }, new SimulatorRule(".", Receipt: "delivered"));
        using var adapters = SimulatorAdapters.Build(simulator, _sink.BaseUrl);

        var outcome = await adapters.Services.GetRequiredService<TwilioClient>()
            .SendAsync(new TwilioMessage(Channel.Sms, "+254714000001", "Hi", "msg-1"), Ct);

        // Already there, before any wait: it was posted before the answer left.
        var early = Assert.Single(_sink.Received);
        Assert.Equal(("sent", outcome.ProviderMessageId), (early.Form["MessageStatus"], early.Form["MessageSid"]));
        var receipts = await _sink.WaitForAsync(r => r.Count == 2, Ct);
        Assert.Equal("delivered", receipts[1].Form["MessageStatus"]);
    }
}

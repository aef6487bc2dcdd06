using System.Diagnostics;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// Two thousand messages at the default mock latency (50–200 ms) and concurrency (256) all settle and
/// the counters match. The pace is printed, not asserted: a timed assertion would flake on a busy machine.
/// </summary>
public sealed class ThroughputTests(AppFixture fixture) : IAsyncDisposable
{
    private readonly SendThroughApi _send = new(fixture.Graph, fixture.Database);

    [Fact]
    public async Task Two_thousand_messages_at_default_latency_settle_sent_with_matching_counters()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = new DeliveryDatabase(fixture.Database);
        var phones = Enumerable.Range(0, 2_000).Select(_ => Unique.KenyanPhone()).ToList();

        var clock = Stopwatch.StartNew();
        var sent = await _send.SendAsync(phones, ct);
        var campaign = await db.WaitUntilNotAsync(sent.CampaignId, "sending", TimeSpan.FromSeconds(60), ct);
        clock.Stop();

        Assert.Equal("sent", campaign.Status);
        await db.AssertCountersMatchAsync(sent.CampaignId, ct);
        // The worker's own pace: first provider call to the last one (retries included).
        var calls = await db.CallsAsync(sent.CampaignId, ct);
        var sending = calls.Max(c => c.CalledAt) - calls.Min(c => c.CalledAt);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"2,000 messages: set up, sent and settled in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"{calls.Count} provider calls in {sending.TotalSeconds:F1} s ({calls.Count / sending.TotalSeconds:F0} calls/s)");
    }

    public ValueTask DisposeAsync() => _send.DisposeAsync();
}

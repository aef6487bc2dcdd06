using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.StateMachine;
using Event = Campaigns.Tests.StateMachine.ReceiptScene.Event;

namespace Campaigns.Tests.Consent;

/// <summary>
/// A phone suppressed after its campaign was sent (a STOP mid-campaign, a suppression on the channel)
/// is cancelled when its message is claimed, never sent (migration 0012's <c>claim_messages</c>).
/// </summary>
public sealed class SuppressedClaimTests(AppFixture fixture)
{
    private readonly ReceiptScene _receipts = new(fixture.Database);

    private StateMachineScene Scene => _receipts.Scene;

    private const string Claim = """
        SELECT id, status FROM claim_messages(ARRAY[@id]::bigint[], ARRAY[@stamp]::timestamptz[], interval '1 hour')
        """;

    private async Task<string> PhoneOfAsync(long messageId) => await Scene.CallAsync<string>(
        "SELECT u.phone FROM outbound_messages m JOIN customers u ON u.id = m.customer_id WHERE m.id = @messageId", new { messageId });

    [Theory]
    [InlineData(null, "keyword", "customer opted out")]
    [InlineData("sms", "api", "phone suppressed on sms")]
    public async Task A_message_whose_phone_was_suppressed_after_the_send_is_cancelled_at_claim(string? channel, string source, string reason)
    {
        var campaign = await Scene.CampaignAsync("paused");
        var suppressed = await Scene.MessageAsync(campaign, "pending", queuedIn: StateMachineScene.Later);
        var other = await Scene.MessageAsync(campaign, "pending", queuedIn: StateMachineScene.Later);
        await Scene.SetStatusAsync(campaign, "sending");
        Assert.Equal(1, await Scene.CallAsync<int>("SELECT add_suppressions(ARRAY[@phone], @channel, @source, 'test')",
            new { phone = await PhoneOfAsync(suppressed.Id), channel, source }));

        var claimed = await Scene.CallManyAsync<(long, string)>(Claim, new { id = suppressed.Id, stamp = suppressed.QueuedAt });
        var claimedOther = await Scene.CallManyAsync<(long, string)>(Claim, new { id = other.Id, stamp = other.QueuedAt });

        Assert.Equal([(suppressed.Id, "cancelled")], claimed);
        Assert.Equal([(other.Id, "sending")], claimedOther);
        Assert.Equal([new Event("cancelled", null, reason)], await _receipts.EventsAsync(suppressed.Id));
        var counters = await _receipts.CountersAsync(campaign);
        Assert.Equal((1, 1), (counters.Cancelled, counters.Sending));
    }

    [Fact]
    public async Task A_suppression_on_another_channel_does_not_stop_the_message()
    {
        var campaign = await Scene.CampaignAsync("paused");
        var message = await Scene.MessageAsync(campaign, "pending", queuedIn: StateMachineScene.Later);
        await Scene.SetStatusAsync(campaign, "sending");
        await Scene.CallAsync<int>("SELECT add_suppressions(ARRAY[@phone], 'whatsapp', 'api', NULL)",
            new { phone = await PhoneOfAsync(message.Id) });

        Assert.Equal([(message.Id, "sending")],
            await Scene.CallManyAsync<(long, string)>(Claim, new { id = message.Id, stamp = message.QueuedAt }));
    }
}

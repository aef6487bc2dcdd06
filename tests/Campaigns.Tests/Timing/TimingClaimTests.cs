using Campaigns.Tests.Infrastructure;
using Dapper;
using Campaigns.Tests.StateMachine;
using Event = Campaigns.Tests.StateMachine.ReceiptScene.Event;

namespace Campaigns.Tests.Timing;

/// <summary>
/// The claim's timing rules (migration 0015's <c>claim_messages</c>): a queued message whose recipient's window has
/// closed goes back to wait for the next opening (pending, no job, no attempt, no event); one past its campaign's
/// deadline is expired, never claimed; a claimed one carries how long it may still go and how long it stays valid.
/// </summary>
public sealed class TimingClaimTests(AppFixture fixture)
{
    private readonly ReceiptScene _receipts = new(fixture.Database);

    private StateMachineScene Scene => _receipts.Scene;

    private sealed record Claimed(long Id, string Status, TimeSpan? SendWithin, TimeSpan? ValidFor);

    private const string Claim = """
        SELECT id, status, send_within, valid_for
        FROM claim_messages(ARRAY[@id]::bigint[], ARRAY[@stamp]::timestamptz[], interval '1 hour')
        """;

    private async Task<(long Campaign, StateMachineScene.Message Message)> QueuedAsync(TestWindows windows, string zone, string? validUntilIn)
    {
        var campaign = await Scene.CampaignAsync("paused");
        var message = await Scene.MessageAsync(campaign, "pending", queuedIn: StateMachineScene.Later);
        await Scene.CallAsync<int>("""
            UPDATE campaigns SET send_window = jsonb_build_object('start', @start::text, 'end', @end::text),
                                 valid_until = now() + @validUntilIn::interval
            WHERE id = @campaign;
            UPDATE customers SET timezone = @zone WHERE id = (SELECT customer_id FROM outbound_messages WHERE id = @id);
            SELECT 1;
            """, new { start = windows.Start, end = windows.End, validUntilIn, campaign, zone, id = message.Id });
        await Scene.SetStatusAsync(campaign, "sending");
        return (campaign, message);
    }

    [Fact]
    public async Task A_message_whose_window_closed_since_it_was_queued_waits_for_the_opening_without_an_attempt()
    {
        var windows = TestWindows.AroundNow();
        var (campaign, message) = await QueuedAsync(windows, windows.ClosedZone, validUntilIn: null);

        var claimed = await Scene.CallManyAsync<Claimed>(Claim, new { id = message.Id, stamp = message.QueuedAt });

        Assert.Equal("pending", Assert.Single(claimed).Status);
        var after = await Scene.ReadMessageAsync(message.Id);
        Assert.Equal((0, null, windows.ClosedZoneOpensAt), (after.RetryCount, after.QueuedAt, DateTime.SpecifyKind(after.NextAttemptAt, DateTimeKind.Utc)));
        Assert.Equal(windows.ClosedZoneOpensAt, await Scene.CallAsync<DateTime>(
            "SELECT not_before FROM outbound_messages WHERE id = @id", new { id = message.Id }));
        Assert.Empty(await _receipts.EventsAsync(message.Id));
        Assert.Equal(1, (await Scene.ReadCampaignAsync(campaign)).Pending);
    }

    [Fact]
    public async Task A_message_inside_its_window_is_claimed_with_the_time_left_until_the_window_closes_or_the_validity_ends()
    {
        var windows = TestWindows.AroundNow();
        var (_, open) = await QueuedAsync(windows, windows.OpenZone, validUntilIn: "3 hours");
        var (_, soonInvalid) = await QueuedAsync(windows, windows.OpenZone, validUntilIn: "10 minutes");

        var claimed = Assert.Single(await Scene.CallManyAsync<Claimed>(Claim, new { id = open.Id, stamp = open.QueuedAt }));
        var claimedSoonInvalid = Assert.Single(await Scene.CallManyAsync<Claimed>(Claim, new { id = soonInvalid.Id, stamp = soonInvalid.QueuedAt }));

        Assert.Equal("sending", claimed.Status);
        // The window ends at most an hour and a minute from now (end = local now + 1 h, to the minute).
        Assert.InRange(claimed.SendWithin!.Value, TimeSpan.FromMinutes(58), TimeSpan.FromMinutes(61));
        Assert.InRange(claimed.ValidFor!.Value, TimeSpan.FromMinutes(179), TimeSpan.FromMinutes(180));
        Assert.InRange(claimedSoonInvalid.SendWithin!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Null(await Scene.CallAsync<DateTime?>("SELECT not_before FROM outbound_messages WHERE id = @id", new { id = open.Id }));
    }

    [Fact]
    public async Task A_message_past_its_campaigns_deadline_is_expired_at_claim_never_claimed()
    {
        var windows = TestWindows.AroundNow();
        var (campaign, message) = await QueuedAsync(windows, windows.OpenZone, validUntilIn: "1 hour");

        // The deadline passes in the claim's own transaction: the worker's expiry sweep cannot get there first.
        List<Claimed> claimed;
        await using (var connection = await fixture.Database.OpenConnectionAsync(TestContext.Current.CancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync("UPDATE campaigns SET valid_until = now() - interval '1 second' WHERE id = @campaign",
                new { campaign }, transaction);
            claimed = (await connection.QueryAsync<Claimed>(Claim, new { id = message.Id, stamp = message.QueuedAt }, transaction)).AsList();
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal("expired", Assert.Single(claimed).Status);
        Assert.Equal([new Event("expired", null, "validity ended")], await _receipts.EventsAsync(message.Id));
        Assert.Equal(1, (await _receipts.CountersAsync(campaign)).Expired);
    }

    [Fact]
    public async Task Without_window_or_validity_a_claim_has_no_limits()
    {
        var campaign = await Scene.CampaignAsync("paused");
        var message = await Scene.MessageAsync(campaign, "pending", queuedIn: StateMachineScene.Later);
        await Scene.SetStatusAsync(campaign, "sending");

        var claimed = Assert.Single(await Scene.CallManyAsync<Claimed>(Claim, new { id = message.Id, stamp = message.QueuedAt }));

        Assert.Equal(new Claimed(message.Id, "sending", null, null), claimed);
    }
}

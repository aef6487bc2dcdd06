using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// The worker against the shared graph: sends made through the API (see
/// <see cref="SendThroughApi"/>), outcomes forced per recipient by the mock provider's phone patterns,
/// and every provider call read back from <c>sender_calls</c>.
/// </summary>
public sealed class DeliveryTests(AppFixture fixture) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly SendThroughApi _send = new(fixture.Graph, fixture.Database);
    private readonly DeliveryDatabase _db = new(fixture.Database);

    [Fact]
    public async Task A_campaign_is_delivered_with_retries_permanent_failures_and_exact_counters()
    {
        var ct = TestContext.Current.CancellationToken;
        var transient = Enumerable.Range(0, 15).Select(_ => DeliveryPhones.ForcedTransient()).ToList();
        var permanent = Enumerable.Range(0, 15).Select(_ => DeliveryPhones.ForcedPermanent()).ToList();
        var normal = Enumerable.Range(0, 170).Select(_ => Unique.KenyanPhone()).ToList();

        var sent = await _send.SendAsync([.. transient, .. permanent, .. normal], ct);
        var campaign = await _db.WaitUntilNotAsync(sent.CampaignId, "sending", Timeout, ct);

        Assert.Equal("sent", campaign.Status);
        Assert.Equal(200, campaign.TotalCount);
        await _db.AssertCountersMatchAsync(sent.CampaignId, ct);

        var messages = await _db.MessagesAsync(sent.CampaignId, ct);
        var calls = (await _db.CallsAsync(sent.CampaignId, ct)).ToLookup(c => c.MessageId);
        Assert.All(messages.Values, m => Assert.Contains(m.Status, new[] { "sent", "failed" }));

        foreach (var phone in transient)
        {
            var message = messages[sent.MessageIdByPhone[phone]];
            Assert.Equal("failed", message.Status);
            Assert.Equal(3, message.RetryCount);
            Assert.StartsWith("max retries exceeded: ", message.LastError);
            var attempts = calls[message.Id].ToList();
            Assert.Equal([1, 2, 3], attempts.Select(c => c.Attempt));
            Assert.All(attempts, c => Assert.Equal($"msg-{message.Id}", c.IdempotencyKey));
            // Backoff (base 200 ms, ±20%): the next attempt never comes early.
            Assert.True(attempts[1].CalledAt - attempts[0].CalledAt >= TimeSpan.FromMilliseconds(150), "second attempt too early");
            Assert.True(attempts[2].CalledAt - attempts[1].CalledAt >= TimeSpan.FromMilliseconds(300), "third attempt too early");
        }
        foreach (var phone in permanent)
        {
            var message = messages[sent.MessageIdByPhone[phone]];
            Assert.Equal("failed", message.Status);
            Assert.Equal(1, message.RetryCount);
            Assert.DoesNotContain("max retries exceeded", message.LastError);
            Assert.Single(calls[message.Id]);
        }
        foreach (var phone in normal)
        {
            // 92% success per attempt: sent after one, two or three attempts (or, rarely, failed after three).
            var message = messages[sent.MessageIdByPhone[phone]];
            var attempts = calls[message.Id].Select(c => c.Attempt).ToList();
            var expected = message.Status == "sent" ? message.RetryCount + 1 : 3;
            Assert.Equal(Enumerable.Range(1, expected), attempts);
        }
    }

    [Fact]
    public async Task A_campaign_whose_every_message_fails_ends_failed()
    {
        var ct = TestContext.Current.CancellationToken;
        var phones = Enumerable.Range(0, 6)
            .Select(i => i % 2 == 0 ? DeliveryPhones.ForcedPermanent() : DeliveryPhones.ForcedTransient()).ToList();

        var sent = await _send.SendAsync(phones, ct);
        var campaign = await _db.WaitUntilNotAsync(sent.CampaignId, "sending", Timeout, ct);

        Assert.Equal("failed", campaign.Status);
        Assert.Equal(6, campaign.FailedCount);
        Assert.Equal(0, campaign.SentCount);
        await _db.AssertCountersMatchAsync(sent.CampaignId, ct);
    }

    [Fact]
    public async Task A_customer_who_opted_out_after_the_send_is_cancelled_and_never_called()
    {
        var ct = TestContext.Current.CancellationToken;
        var optedOut = Unique.KenyanPhone();
        var phones = new List<string> { optedOut, Unique.KenyanPhone(), Unique.KenyanPhone() };

        // The messages exist before the opt-out; the jobs are published after it.
        var sent = await ScheduleThenOptOutThenDispatchAsync(phones, optedOut, ct);
        var campaign = await _db.WaitUntilNotAsync(sent.CampaignId, "sending", Timeout, ct);

        Assert.Equal("sent", campaign.Status);
        Assert.Equal(1, campaign.CancelledCount);
        await _db.AssertCountersMatchAsync(sent.CampaignId, ct);
        var messageId = sent.MessageIdByPhone[optedOut];
        Assert.Equal("cancelled", (await _db.MessagesAsync(sent.CampaignId, ct))[messageId].Status);
        Assert.DoesNotContain(await _db.CallsAsync(sent.CampaignId, ct), c => c.MessageId == messageId);
    }

    [Fact]
    public async Task A_duplicate_job_does_not_send_a_message_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        var phones = Enumerable.Range(0, 20).Select(_ => Unique.KenyanPhone()).ToList();

        var sent = await _send.SendAsync(phones, ct);
        await _send.PublishDuplicatesAsync(sent.MessageIdByPhone.Values, ct);
        await _db.WaitUntilNotAsync(sent.CampaignId, "sending", Timeout, ct);

        var calls = await _db.CallsAsync(sent.CampaignId, ct);
        Assert.Equal(calls.Count, calls.Select(c => (c.MessageId, c.Attempt)).Distinct().Count());
        var messages = await _db.MessagesAsync(sent.CampaignId, ct);
        Assert.All(messages.Values.Where(m => m.Status == "sent"),
            m => Assert.Equal(m.RetryCount + 1, calls.Count(c => c.MessageId == m.Id)));
        await _db.AssertCountersMatchAsync(sent.CampaignId, ct);
    }

    [Fact]
    public async Task A_customer_deleted_before_delivery_leaves_the_counters_and_the_campaign_still_completes()
    {
        var ct = TestContext.Current.CancellationToken;
        var kept = Unique.KenyanPhone();
        var deleted = Unique.KenyanPhone();
        // Scheduled a few seconds ahead, so both messages are still pending when the customer goes.
        var sent = await _send.ScheduleAsync([kept, deleted], await DatabaseNowAsync(ct) + TimeSpan.FromSeconds(6), ct);
        var customer = await fixture.Database.ScalarAsync<long>(
            "SELECT customer_id FROM outbound_messages WHERE id = @id", new { id = sent.MessageIdByPhone[deleted] }, ct);

        using var api = fixture.CreateApiClient();
        (await api.DeleteJsonAsync($"/customers/{customer}", ct)).Expect(System.Net.HttpStatusCode.NoContent);

        var stats = (await api.GetJsonAsync($"/campaigns/{sent.CampaignId}", ct)).Expect(System.Net.HttpStatusCode.OK).Json["stats"]!;
        Assert.Equal(1, stats["total"]!.GetValue<int>());
        Assert.Equal(1, stats["pending"]!.GetValue<int>());
        var messages = (await api.GetJsonAsync($"/campaigns/{sent.CampaignId}/messages", ct)).Expect(System.Net.HttpStatusCode.OK).Json;
        Assert.Equal(1, messages["pagination"]!["total_count"]!.GetValue<int>());

        // It used to stay sending forever: pending never reached 0.
        var campaign = await _db.WaitUntilNotAsync(sent.CampaignId, "scheduled", Timeout, ct);
        campaign = campaign.Status == "sending" ? await _db.WaitUntilNotAsync(sent.CampaignId, "sending", Timeout, ct) : campaign;
        Assert.Equal("sent", campaign.Status);
        Assert.Equal((1, 1), (campaign.TotalCount, campaign.SentCount));
        await _db.AssertCountersMatchAsync(sent.CampaignId, ct);
    }

    [Fact]
    public async Task A_scheduled_campaign_is_sent_when_its_time_comes_and_not_before()
    {
        var ct = TestContext.Current.CancellationToken;
        var phones = Enumerable.Range(0, 10).Select(_ => Unique.KenyanPhone()).ToList();
        var scheduledAt = await DatabaseNowAsync(ct) + TimeSpan.FromSeconds(6);

        var sent = await _send.ScheduleAsync(phones, scheduledAt, ct);

        // Before its time (on the database's clock, which the scheduler uses) it waits, and nothing is called.
        await using (var connection = await fixture.Database.OpenConnectionAsync(ct))
        {
            var (status, early) = await connection.QuerySingleAsync<(string, bool)>(new CommandDefinition(
                "SELECT status, now() < scheduled_at FROM campaigns WHERE id = @id", new { id = sent.CampaignId }, cancellationToken: ct));
            if (early)
            {
                Assert.Equal("scheduled", status);
                Assert.Empty(await _db.CallsAsync(sent.CampaignId, ct));
            }
        }

        var campaign = await _db.WaitUntilNotAsync(sent.CampaignId, "scheduled", Timeout, ct);
        campaign = campaign.Status == "sending" ? await _db.WaitUntilNotAsync(sent.CampaignId, "sending", Timeout, ct) : campaign;

        Assert.Equal("sent", campaign.Status);
        await _db.AssertCountersMatchAsync(sent.CampaignId, ct);
        var calls = await _db.CallsAsync(sent.CampaignId, ct);
        Assert.Equal(10, calls.Select(c => c.MessageId).Distinct().Count());
        Assert.All(calls, c => Assert.True(c.CalledAt >= scheduledAt.UtcDateTime, $"called at {c.CalledAt:O}, before {scheduledAt:O}"));
    }

    private async Task<SendThroughApi.Sent> ScheduleThenOptOutThenDispatchAsync(List<string> phones, string optedOut, CancellationToken ct)
    {
        // Scheduled far ahead so the worker's scheduler leaves it alone; dispatched by hand below (flipped
        // to sending, its waiting messages due now), so the retry driver queues them after the opt-out.
        var sent = await _send.ScheduleAsync(phones, DateTimeOffset.UtcNow.AddDays(1), ct);
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE customers SET opted_out = true WHERE phone = @optedOut", new { optedOut }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE outbound_messages SET next_attempt_at = now() WHERE campaign_id = @id;
            UPDATE campaigns SET status = 'sending', scheduled_at = NULL WHERE id = @id;
            """, new { id = sent.CampaignId }, cancellationToken: ct));
        return sent;
    }

    private async Task<DateTimeOffset> DatabaseNowAsync(CancellationToken ct)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition("SELECT now()", cancellationToken: ct));
    }

    public ValueTask DisposeAsync() => _send.DisposeAsync();
}

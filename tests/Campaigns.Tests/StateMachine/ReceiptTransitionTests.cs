using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;
using Event = Campaigns.Tests.StateMachine.ReceiptScene.Event;

namespace Campaigns.Tests.StateMachine;

/// <summary>
/// The receipt state machine (migrations 0010, 0011 and 0013; api.md Part 2, "Message statuses and receipts"):
/// the provider's acceptance recorded with the attempt; receipts applied once, never backwards, early ones
/// kept until their id is recorded; the counters, events, opt-outs and campaign completion that follow.
/// Every counter read also checks the counters against the messages (<see cref="ReceiptScene.CountersAsync"/>).
/// Results never depend on whether the test's applier or the worker's applied a receipt.
/// </summary>
public sealed class ReceiptTransitionTests(AppFixture fixture)
{
    private readonly ReceiptScene _receipts = new(fixture.Database);

    private StateMachineScene Scene => _receipts.Scene;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Claim = """
        SELECT id, status, attempt_provider, attempt_unknown
        FROM claim_messages(ARRAY[@id]::bigint[], ARRAY[@stamp]::timestamptz[], interval '1 hour')
        """;

    /// <summary>What each final receipt looks like from Twilio (status word, error code).</summary>
    private static (string Status, string? ErrorCode) Twilio(string kind) => kind switch
    {
        "undelivered" => ("undelivered", "30003"),
        "expired" => ("failed", "30036"),
        _ => (kind, null),
    };

    private async Task<string> StatusAsync(long id) => (await _receipts.ReadAsync(id)).Status;

    // Acceptance and delivery ---------------------------------------------------------------------------

    [Fact]
    public async Task An_accepted_message_records_its_provider_and_a_delivered_receipt_moves_it_to_delivered()
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = ReceiptScene.ProviderMessageId("twilio");

        Assert.Equal([(id, "sent")], await _receipts.OutcomeAsync(id, "sent", provider: "twilio", providerMessageId: providerMessageId));

        var sent = await _receipts.ReadAsync(id);
        Assert.Equal(("sent", "twilio", providerMessageId), (sent.Status, sent.Provider, sent.ProviderMessageId));
        Assert.InRange(sent.SentAt ?? DateTime.MinValue, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
        Assert.Null(sent.DeliveredAt);
        Assert.Equal([new Event("sent", "twilio", providerMessageId)], await _receipts.EventsAsync(id));
        var before = await _receipts.CountersAsync(campaign);
        Assert.Equal((0, 1, 0), (before.Sending, before.Sent, before.Delivered));

        var deliveredAt = ReceiptScene.At(secondsAgo: 1);
        await _receipts.StoreAsync("twilio", providerMessageId, "delivered", "delivered", occurredAt: deliveredAt);
        await _receipts.AppliedAsync("twilio", providerMessageId);

        var delivered = await _receipts.ReadAsync(id);
        Assert.Equal(("delivered", (DateTime?)deliveredAt, sent.SentAt), (delivered.Status, delivered.DeliveredAt, delivered.SentAt));
        Assert.Equal(before with { Sent = 0, Delivered = 1 }, await _receipts.CountersAsync(campaign));
        Assert.Equal([new Event("sent", "twilio", providerMessageId), new Event("delivered", "twilio", "delivered")],
            await _receipts.EventsAsync(id));
    }

    [Fact]
    public async Task A_receipt_stored_three_times_moves_the_message_and_its_counters_once()
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = await _receipts.AcceptedAsync(id);
        var before = await _receipts.CountersAsync(campaign);
        var deliveredAt = ReceiptScene.At(secondsAgo: 2);

        // Twice in one request (one batch of the applier), then once more after those were applied.
        await _receipts.StoreAsync("twilio", providerMessageId, "delivered", "delivered", occurredAt: deliveredAt, copies: 2);
        await _receipts.AppliedAsync("twilio", providerMessageId);
        await _receipts.StoreAsync("twilio", providerMessageId, "delivered", "delivered", occurredAt: deliveredAt);
        await _receipts.AppliedAsync("twilio", providerMessageId);

        Assert.Equal("delivered", await StatusAsync(id));
        Assert.Equal(before with { Sent = 0, Delivered = 1 }, await _receipts.CountersAsync(campaign));
        Assert.Equal(["sent", "delivered"], (await _receipts.EventsAsync(id)).Select(e => e.Type));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_providers_sent_after_its_delivered_changes_nothing(bool appliedBetween)
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = await _receipts.AcceptedAsync(id);
        var before = await _receipts.CountersAsync(campaign);
        var deliveredAt = ReceiptScene.At(secondsAgo: 1);

        await _receipts.StoreAsync("twilio", providerMessageId, "delivered", "delivered", occurredAt: deliveredAt);
        if (appliedBetween)
        {
            await _receipts.AppliedAsync("twilio", providerMessageId);
        }
        // The provider's own "sent" happened before the delivery but reaches us after it, twice.
        await _receipts.StoreAsync("twilio", providerMessageId, "sent", "sent", occurredAt: deliveredAt.AddSeconds(-1), copies: 2);
        await _receipts.AppliedAsync("twilio", providerMessageId);

        var after = await _receipts.ReadAsync(id);
        Assert.Equal(("delivered", (DateTime?)deliveredAt), (after.Status, after.DeliveredAt));
        Assert.Equal(before with { Sent = 0, Delivered = 1 }, await _receipts.CountersAsync(campaign));
        var events = await _receipts.EventsAsync(id);
        Assert.Equal(["sent", "delivered"], events.Where(e => e.Type != "provider_status").Select(e => e.Type));
        Assert.All(events.Where(e => e.Type == "provider_status"), e => Assert.Equal(new Event("provider_status", "twilio", "sent"), e));
        Assert.InRange(events.Count(e => e.Type == "provider_status"), 0, 1);
    }

    [Theory]
    [InlineData("delivered", "undelivered", true)]
    [InlineData("undelivered", "delivered", true)]
    [InlineData("delivered", "undelivered", false)]
    [InlineData("undelivered", "delivered", false)]
    [InlineData("expired", "delivered", true)]
    public async Task A_final_status_never_moves(string first, string second, bool appliedBetween)
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = await _receipts.AcceptedAsync(id);
        var before = await _receipts.CountersAsync(campaign);
        var firstAt = ReceiptScene.At(secondsAgo: 3);

        var secondAt = firstAt.AddSeconds(2);
        if (appliedBetween)
        {
            await _receipts.StoreAsync("twilio", providerMessageId, first, Twilio(first).Status, Twilio(first).ErrorCode, firstAt);
            await _receipts.AppliedAsync("twilio", providerMessageId);
            await _receipts.StoreAsync("twilio", providerMessageId, second, Twilio(second).Status, Twilio(second).ErrorCode, secondAt);
        }
        else
        {
            // Stored together, so applied in one batch, second first: the one that happened first decides. (Stored apart,
            // two appliers may each take one, and the first applied is final, whichever happened first.)
            await _receipts.StoreTogetherAsync("twilio", providerMessageId,
                (second, Twilio(second).Status, Twilio(second).ErrorCode, secondAt),
                (first, Twilio(first).Status, Twilio(first).ErrorCode, firstAt));
        }
        await _receipts.AppliedAsync("twilio", providerMessageId);

        var after = await _receipts.ReadAsync(id);
        Assert.Equal((first, first == "delivered" ? firstAt : (DateTime?)null, Twilio(first).ErrorCode),
            (after.Status, after.DeliveredAt, after.ErrorCode));
        Assert.Equal(first switch
        {
            "delivered" => before with { Sent = 0, Delivered = 1 },
            "undelivered" => before with { Sent = 0, Undelivered = 1 },
            _ => before with { Sent = 0, Expired = 1 },
        }, await _receipts.CountersAsync(campaign));
    }

    /// <summary>
    /// The events endpoint must not tell a story the status denies: a final receipt that came after the
    /// message's final status had no effect, so it is "any other status a provider reported: recorded,
    /// no effect" (api.md), a <c>provider_status</c> event, not a second final event.
    /// </summary>
    [Theory]
    [InlineData("delivered", "undelivered")]
    [InlineData("undelivered", "delivered")]
    public async Task A_final_receipt_after_the_final_status_is_recorded_as_a_provider_status(string first, string second)
    {
        var (_, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = await _receipts.AcceptedAsync(id);
        await _receipts.StoreAsync("twilio", providerMessageId, first, Twilio(first).Status, Twilio(first).ErrorCode, ReceiptScene.At(3));
        await _receipts.AppliedAsync("twilio", providerMessageId);

        await _receipts.StoreAsync("twilio", providerMessageId, second, Twilio(second).Status, Twilio(second).ErrorCode, ReceiptScene.At(1));
        await _receipts.AppliedAsync("twilio", providerMessageId);

        Assert.Equal(first, await StatusAsync(id));
        var events = await _receipts.EventsAsync(id);
        Assert.Equal(["sent", first], events.Where(e => e.Type != "provider_status").Select(e => e.Type));
        Assert.Single(events, e => e.Type == "provider_status");
    }

    // Early receipts -------------------------------------------------------------------------------------

    [Fact]
    public async Task A_receipt_before_the_outcome_waits_and_the_outcome_that_records_its_id_wakes_it()
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = ReceiptScene.ProviderMessageId("africastalking");
        var deliveredAt = ReceiptScene.At(secondsAgo: 1);

        await _receipts.StoreAsync("africastalking", providerMessageId, "delivered", "Success", occurredAt: deliveredAt);
        await _receipts.UntilAsync(async () => await _receipts.InboxAsync("africastalking", providerMessageId) == (0, 1),
            "the receipt waits for its id");
        Assert.Equal("sending", await StatusAsync(id));
        Assert.Empty(await _receipts.EventsAsync(id));

        await _receipts.AcceptedAsync(id, "africastalking", providerMessageId);
        // Woken by the outcome itself: no applier has to find it.
        Assert.Equal(0, (await _receipts.InboxAsync("africastalking", providerMessageId)).Waiting);
        await _receipts.AppliedAsync("africastalking", providerMessageId);

        var after = await _receipts.ReadAsync(id);
        Assert.Equal(("delivered", (DateTime?)deliveredAt), (after.Status, after.DeliveredAt));
        var counters = await _receipts.CountersAsync(campaign);
        Assert.Equal((0, 0, 1), (counters.Sending, counters.Sent, counters.Delivered));
        Assert.Equal(["sent", "delivered"], (await _receipts.EventsAsync(id)).Select(e => e.Type));
    }

    [Fact]
    public async Task A_waiting_receipt_is_woken_by_a_late_sent_that_replaces_a_lease_expiry()
    {
        var (_, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = ReceiptScene.ProviderMessageId("twilio");
        await _receipts.StoreAsync("twilio", providerMessageId, "delivered", "delivered", occurredAt: ReceiptScene.At(1));
        await _receipts.UntilAsync(async () => await _receipts.InboxAsync("twilio", providerMessageId) == (0, 1), "the receipt waits");
        // The lease reconciler's guess, in one implicit transaction that lets the lease run out first, so
        // the worker's own reconciler never sees it expired.
        Assert.Equal("pending", await Scene.CallAsync<string>("""
            UPDATE outbound_messages SET next_attempt_at = now() - interval '1 second' WHERE id = @id;
            SELECT status FROM record_attempt_outcomes(ARRAY[@id]::bigint[], ARRAY[0], ARRAY['pending'], ARRAY[1],
                                                       ARRAY['lease expired'], ARRAY[interval '1 hour'], true);
            """, new { id }));

        await _receipts.AcceptedAsync(id, "twilio", providerMessageId);

        Assert.Equal(0, (await _receipts.InboxAsync("twilio", providerMessageId)).Waiting);
        await _receipts.AppliedAsync("twilio", providerMessageId);
        Assert.Equal("delivered", await StatusAsync(id));
    }

    /// <summary>
    /// The outcome that records an id commits while an applier's round that found no message for the id is
    /// still open (it has set the receipt waiting, not yet committed). Whichever order they commit in, the
    /// receipt must be applied: "a receipt for an id not yet recorded is … applied when the id is recorded".
    /// </summary>
    [Fact]
    public async Task A_receipt_set_waiting_by_a_round_still_open_when_its_id_is_recorded_is_applied()
    {
        var (_, id) = await _receipts.OneInFlightAsync();
        await using var applier = await fixture.Database.OpenConnectionAsync(Ct);
        var (round, providerMessageId) = await RoundThatSetAReceiptWaitingAsync(applier);
        await using (round)
        {
            await using var recorder = await fixture.Database.OpenConnectionAsync(Ct);
            var recording = recorder.QueryAsync<(long, string)>(new CommandDefinition(ReceiptScene.Outcome,
                ReceiptScene.OutcomeParameters(id, "sent", provider: "twilio", providerMessageId: providerMessageId), cancellationToken: Ct));
            // The outcome may commit at once or wait for the round: either is allowed, only the end state counts.
            await _receipts.WaitAsync(async () => recording.IsCompleted || await Scene.CallAsync<bool>(
                "SELECT @applier = ANY(pg_blocking_pids(@recorder))", new { applier = applier.ProcessID, recorder = recorder.ProcessID }),
                "the outcome committed or waits for the round");
            await round.CommitAsync(Ct);
            Assert.Equal([(id, "sent")], await recording);
        }

        await _receipts.UntilAsync(async () => await StatusAsync(id) == "delivered",
            "the receipt applied once its id was recorded (it is left waiting in the inbox if not)");
    }

    /// <summary>
    /// Stores a receipt for an id not yet recorded and opens an applier's round (a transaction left open)
    /// that took it and set it waiting. The worker's applier may take the receipt first: then again with
    /// another id.
    /// </summary>
    private async Task<(NpgsqlTransaction Round, string ProviderMessageId)> RoundThatSetAReceiptWaitingAsync(NpgsqlConnection applier)
    {
        for (var attempt = 1; ; attempt++)
        {
            var providerMessageId = ReceiptScene.ProviderMessageId("twilio");
            await _receipts.StoreAsync("twilio", providerMessageId, "delivered", "delivered");
            var round = await applier.BeginTransactionAsync(Ct);
            await applier.ExecuteAsync(new CommandDefinition("SELECT count(*) FROM apply_receipts(100000)", transaction: round, cancellationToken: Ct));
            // now() is when the round began: a waiting_since equal to it was set by this round.
            if (await applier.ExecuteScalarAsync<bool>(new CommandDefinition("""
                SELECT coalesce(bool_or(waiting_since = now()), false) FROM provider_receipts
                WHERE provider = 'twilio' AND provider_message_id = @providerMessageId
                """, new { providerMessageId }, round, cancellationToken: Ct)))
            {
                return (round, providerMessageId);
            }
            await round.RollbackAsync(Ct);
            await round.DisposeAsync();
            Assert.True(attempt < 10, "the worker's applier took the receipt first every time");
        }
    }

    [Fact]
    public async Task Only_waiting_receipts_older_than_the_interval_are_dropped()
    {
        var oldWaiting = ReceiptScene.ProviderMessageId("twilio");
        var youngWaiting = ReceiptScene.ProviderMessageId("twilio");
        var oldReady = ReceiptScene.ProviderMessageId("twilio");
        // Uncommitted, and rolled back: the worker's applier never takes the ready one, its sweep never drops the old one.
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO provider_receipts (provider, provider_message_id, kind, provider_status, occurred_at, received_at, waiting_since)
            SELECT 'twilio', r.id, 'delivered', 'delivered', now() - r.age, now() - r.age, CASE WHEN r.waiting THEN now() - r.age END
            FROM (VALUES (@oldWaiting, interval '25 hours', true), (@youngWaiting, interval '23 hours', true),
                         (@oldReady, interval '25 hours', false)) AS r(id, age, waiting)
            """, new { oldWaiting, youngWaiting, oldReady }, transaction, cancellationToken: Ct));

        var dropped = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT drop_stale_receipts(interval '1 day')", transaction: transaction, cancellationToken: Ct));
        var left = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT provider_message_id FROM provider_receipts WHERE provider_message_id = ANY(@ids)",
            new { ids = new[] { oldWaiting, youngWaiting, oldReady } }, transaction, cancellationToken: Ct))).ToHashSet();
        await transaction.RollbackAsync(Ct);

        Assert.True(dropped >= 1, "the old waiting receipt is counted");
        Assert.Equal(new[] { youngWaiting, oldReady }.Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
    }

    // Read, expired, opt-outs --------------------------------------------------------------------------------

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_read_receipt_sets_read_at_makes_the_message_delivered_and_counts_one_read(bool deliveredFirst)
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = await _receipts.AcceptedAsync(id, "whatsapp-cloud");
        var deliveredAt = ReceiptScene.At(secondsAgo: 3);
        if (deliveredFirst)
        {
            await _receipts.StoreAsync("whatsapp-cloud", providerMessageId, "delivered", "delivered", occurredAt: deliveredAt);
            await _receipts.AppliedAsync("whatsapp-cloud", providerMessageId);
        }
        var before = await _receipts.CountersAsync(campaign);
        Assert.Equal((deliveredFirst ? 1 : 0, 0), (before.Delivered, before.Read));
        var readAt = ReceiptScene.At(secondsAgo: 1);

        // Read twice, the second after the first was applied: a message counts once however often it is read.
        for (var i = 0; i < 2; i++)
        {
            await _receipts.StoreAsync("whatsapp-cloud", providerMessageId, "read", "read", occurredAt: readAt.AddSeconds(i));
            await _receipts.AppliedAsync("whatsapp-cloud", providerMessageId);
        }

        var after = await _receipts.ReadAsync(id);
        // Without a delivery receipt, the read is the first sign of delivery.
        Assert.Equal(("delivered", (DateTime?)(deliveredFirst ? deliveredAt : readAt), (DateTime?)readAt),
            (after.Status, after.DeliveredAt, after.ReadAt));
        Assert.Equal(before with { Sent = 0, Delivered = 1, Read = 1 }, await _receipts.CountersAsync(campaign));
        Assert.Equal(deliveredFirst ? new[] { "sent", "delivered", "read" } : new[] { "sent", "read" },
            (await _receipts.EventsAsync(id)).Select(e => e.Type));
    }

    [Fact]
    public async Task An_expired_receipt_makes_a_sent_message_expired()
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = await _receipts.AcceptedAsync(id);
        var before = await _receipts.CountersAsync(campaign);

        await _receipts.StoreAsync("twilio", providerMessageId, "expired", "failed", "30036");
        await _receipts.AppliedAsync("twilio", providerMessageId);

        var after = await _receipts.ReadAsync(id);
        Assert.Equal(("expired", "30036", (DateTime?)null), (after.Status, after.ErrorCode, after.DeliveredAt));
        Assert.Equal(before with { Sent = 0, Expired = 1 }, await _receipts.CountersAsync(campaign));
        Assert.Equal(new Event("expired", "twilio", "failed (30036)"), (await _receipts.EventsAsync(id))[^1]);
    }

    [Theory]
    [InlineData("UserInBlackList", true)]
    [InlineData("DeliveryFailure", false)]
    public async Task An_undelivered_receipt_that_suppresses_the_phone_opts_the_customer_out(string failureReason, bool suppress)
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        var providerMessageId = await _receipts.AcceptedAsync(id, "africastalking");
        var before = await _receipts.CountersAsync(campaign);

        await _receipts.StoreAsync("africastalking", providerMessageId, "undelivered", "Failed", failureReason, suppress: suppress);
        await _receipts.AppliedAsync("africastalking", providerMessageId);

        var after = await _receipts.ReadAsync(id);
        Assert.Equal(("undelivered", failureReason), (after.Status, after.ErrorCode));
        Assert.Equal(suppress, await _receipts.OptedOutAsync(after.CustomerId));
        Assert.Equal(before with { Sent = 0, Undelivered = 1 }, await _receipts.CountersAsync(campaign));
        Assert.Equal(new Event("undelivered", "africastalking", $"Failed ({failureReason})"), (await _receipts.EventsAsync(id))[^1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_permanent_failure_that_suppresses_the_phone_fails_the_message_and_opts_the_customer_out(bool suppress)
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        const string error = "twilio 21610: recipient unsubscribed";

        Assert.Equal([(id, "failed")], await _receipts.OutcomeAsync(id, "failed", retryCount: 1, error: error, provider: "twilio",
            errorCode: "21610", suppress: suppress));

        var after = await _receipts.ReadAsync(id);
        Assert.Equal(("failed", "21610", "twilio", (string?)null), (after.Status, after.ErrorCode, after.AttemptProvider, after.Provider));
        Assert.Equal(suppress, await _receipts.OptedOutAsync(after.CustomerId));
        Assert.Equal(1, (await _receipts.CountersAsync(campaign)).Failed);
        Assert.Equal([new Event("failed", "twilio", error)], await _receipts.EventsAsync(id));
    }

    // The router's memory ------------------------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_next_claim_returns_the_last_attempts_provider_and_whether_its_outcome_is_unknown(bool unknown)
    {
        var (campaign, id) = await _receipts.OneInFlightAsync();
        const string error = "twilio: timed out";

        Assert.Equal([(id, "pending")], await _receipts.OutcomeAsync(id, "pending", retryCount: 1, error: error,
            delay: StateMachineScene.Later, provider: "twilio", unknown: unknown));

        var waiting = await _receipts.ReadAsync(id);
        Assert.Equal(("twilio", unknown, (string?)null, (string?)null),
            (waiting.AttemptProvider, waiting.AttemptUnknown, waiting.Provider, waiting.ProviderMessageId));
        Assert.Equal([new Event("attempt_failed", "twilio", error)], await _receipts.EventsAsync(id));

        var stamp = await Scene.CallAsync<DateTime>(
            "UPDATE outbound_messages SET queued_at = now() + interval '1 hour' WHERE id = @id RETURNING queued_at", new { id });
        var claimed = await Scene.CallManyAsync<(long Id, string Status, string? AttemptProvider, bool AttemptUnknown)>(Claim, new { id, stamp });

        Assert.Equal([(id, "sending", (string?)"twilio", unknown)], claimed);
        Assert.Equal(new Event("claimed", null, "attempt 2"), (await _receipts.EventsAsync(id))[^1]);
        await _receipts.CountersAsync(campaign);
    }

    // Campaign completion and counters ------------------------------------------------------------------------

    /// <summary>
    /// Completion counts the messages a provider accepted (sent, delivered or undelivered), whatever the
    /// receipts said since; an expired message was never accepted (Timing's expiry, set here by hand).
    /// </summary>
    [Theory]
    [InlineData("undelivered,undelivered", "sent")]
    [InlineData("delivered", "sent")]
    [InlineData("expired,undelivered", "sent")]
    [InlineData("expired", "failed")]
    [InlineData("expired,failed", "failed")]
    public async Task A_campaign_completes_sent_only_when_a_provider_accepted_a_message(string finals, string expected)
    {
        var statuses = finals.Split(',');
        var campaign = await Scene.CampaignAsync("paused");
        var ids = new long[statuses.Length];
        for (var i = 0; i < statuses.Length; i++)
        {
            ids[i] = (await Scene.MessageAsync(campaign, statuses[i] == "expired" ? "pending" : "sending",
                queuedIn: statuses[i] == "expired" ? StateMachineScene.Later : null)).Id;
        }
        foreach (var (id, status) in ids.Zip(statuses))
        {
            await FinishAsync(campaign, id, status);
        }
        var counters = await _receipts.CountersAsync(campaign);
        Assert.Equal((0, 0, 0), (counters.Pending, counters.Sending, counters.Sent));

        await Scene.SetStatusAsync(campaign, "sending");
        // The worker's completion sweep may get there first: the same answer, once.
        await Scene.CallManyAsync<(long, string)>("SELECT * FROM complete_campaigns(ARRAY[@campaign]::bigint[])", new { campaign });

        await _receipts.WaitAsync(async () => (await Scene.ReadCampaignAsync(campaign)).Status != "sending", "the campaign completes");
        Assert.Equal(expected, (await Scene.ReadCampaignAsync(campaign)).Status);
    }

    private async Task FinishAsync(long campaign, long id, string status)
    {
        switch (status)
        {
            case "expired":
                Assert.Equal(1, await Scene.CallAsync<int>("""
                    WITH expired AS (
                        UPDATE outbound_messages SET status = 'expired', queued_at = NULL, updated_at = now()
                        WHERE id = @id AND status = 'pending' RETURNING campaign_id, status)
                    SELECT count_status_moves(array_agg(campaign_id), 'pending', array_agg(status)) FROM expired
                    """, new { id }));
                break;
            case "failed":
                Assert.Equal([(id, "failed")], await _receipts.OutcomeAsync(id, "failed", retryCount: 1, error: "invalid number", provider: "twilio"));
                break;
            default:
                var providerMessageId = await _receipts.AcceptedAsync(id);
                await _receipts.StoreAsync("twilio", providerMessageId, status, Twilio(status).Status, Twilio(status).ErrorCode);
                await _receipts.AppliedAsync("twilio", providerMessageId);
                Assert.Equal(status, await StatusAsync(id));
                break;
        }
        await _receipts.CountersAsync(campaign);
    }

    [Fact]
    public async Task A_deleted_customer_takes_a_delivered_and_read_message_out_of_every_counter()
    {
        var (campaign, messages) = await _receipts.InFlightAsync(sending: 2);
        var providerMessageId = await _receipts.AcceptedAsync(messages[0], "whatsapp-cloud");
        await _receipts.AcceptedAsync(messages[1], "whatsapp-cloud");
        await _receipts.StoreAsync("whatsapp-cloud", providerMessageId, "delivered", "delivered", occurredAt: ReceiptScene.At(2));
        await _receipts.StoreAsync("whatsapp-cloud", providerMessageId, "read", "read", occurredAt: ReceiptScene.At(1));
        await _receipts.AppliedAsync("whatsapp-cloud", providerMessageId);
        var before = await _receipts.CountersAsync(campaign);
        Assert.Equal((3, 1, 1, 1, 1), (before.Total, before.Pending, before.Sent, before.Delivered, before.Read));
        var customer = (await _receipts.ReadAsync(messages[0])).CustomerId;

        await fixture.Database.ExecuteAsync("DELETE FROM customers WHERE id = @customer", new { customer }, Ct);

        Assert.Equal(before with { Total = 2, Delivered = 0, Read = 0 }, await _receipts.CountersAsync(campaign));
    }

    // Events of the other transitions ----------------------------------------------------------------------------

    [Theory]
    [InlineData(0, false, "claimed", "attempt 1")]
    [InlineData(2, false, "claimed", "attempt 3")]
    [InlineData(0, true, "cancelled", "customer opted out")]
    public async Task A_claim_writes_its_event(int retryCount, bool optedOut, string type, string detail)
    {
        var campaign = await Scene.CampaignAsync("paused");
        var message = await Scene.MessageAsync(campaign, "pending", retryCount, queuedIn: StateMachineScene.Later, optedOut: optedOut);
        await Scene.SetStatusAsync(campaign, "sending");

        Assert.Single(await Scene.CallManyAsync<(long, string, string?, bool)>(Claim, new { id = message.Id, stamp = message.QueuedAt }));

        Assert.Equal([new Event(type, null, detail)], await _receipts.EventsAsync(message.Id));
    }

    [Fact]
    public async Task A_transient_failure_writes_attempt_failed_and_a_claim_handed_back_writes_nothing()
    {
        var (_, messages) = await _receipts.InFlightAsync(sending: 2);
        const string error = "twilio: 503 Service Unavailable";

        Assert.Equal([(messages[0], "pending")], await _receipts.OutcomeAsync(messages[0], "pending", retryCount: 1, error: error,
            delay: StateMachineScene.Later, provider: "twilio"));
        Assert.Equal([(messages[1], "pending")], await _receipts.OutcomeAsync(messages[1], "pending", delay: StateMachineScene.Later));

        Assert.Equal([new Event("attempt_failed", "twilio", error)], await _receipts.EventsAsync(messages[0]));
        Assert.Empty(await _receipts.EventsAsync(messages[1]));
    }

    [Fact]
    public async Task Cancel_writes_a_cancelled_event_for_each_pending_message_only()
    {
        var campaign = await Scene.CampaignAsync("paused");
        var pending = new[]
        {
            await Scene.MessageAsync(campaign, "pending", queuedIn: StateMachineScene.Later),
            await Scene.MessageAsync(campaign, "pending", retryCount: 1),
        };
        var sent = await Scene.MessageAsync(campaign, "sent");
        await Scene.SetStatusAsync(campaign, "sending");

        Assert.True(await Scene.CallAsync<bool>("SELECT cancel_campaign(@campaign)", new { campaign }));

        foreach (var message in pending)
        {
            Assert.Equal([new Event("cancelled", null, "campaign cancelled")], await _receipts.EventsAsync(message.Id));
        }
        Assert.Empty(await _receipts.EventsAsync(sent.Id));
        var counters = await _receipts.CountersAsync(campaign);
        Assert.Equal((2, 1), (counters.Cancelled, counters.Sent));
    }

    [Fact]
    public async Task Deleting_a_campaign_deletes_its_messages_events_and_no_others()
    {
        var (doomed, doomedMessage) = await _receipts.OneInFlightAsync();
        var (_, keptMessage) = await _receipts.OneInFlightAsync();
        await _receipts.AcceptedAsync(doomedMessage);
        await _receipts.AcceptedAsync(keptMessage);
        Assert.NotEmpty(await _receipts.EventsAsync(doomedMessage));

        Assert.Equal(1, await Scene.CallAsync<int>(
            "WITH gone AS (DELETE FROM campaigns WHERE id = @doomed RETURNING 1) SELECT count(*)::int FROM gone", new { doomed }));

        Assert.Empty(await _receipts.EventsAsync(doomedMessage));
        Assert.Equal([new Event("sent", "twilio", (await _receipts.ReadAsync(keptMessage)).ProviderMessageId)],
            await _receipts.EventsAsync(keptMessage));
    }
}

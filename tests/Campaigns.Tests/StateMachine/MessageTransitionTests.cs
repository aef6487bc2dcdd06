using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.StateMachine;

/// <summary>
/// Every transition of a message, legal and refused, through the state machine's functions; after each,
/// the campaign's counters equal its messages' statuses (<see cref="StateMachineScene.ReadCampaignAsync"/>).
/// </summary>
public sealed class MessageTransitionTests(AppFixture fixture)
{
    private readonly StateMachineScene _scene = new(fixture.Database);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private const string Claim = "SELECT id, status FROM claim_messages(ARRAY[@id]::bigint[], ARRAY[@stamp]::timestamptz[], interval '1 hour')";
    private const string Outcome = """
        SELECT id, status FROM record_attempt_outcomes(ARRAY[@id]::bigint[], ARRAY[@claimed], ARRAY[@status], ARRAY[@retryCount],
                                                       ARRAY[@error]::text[], ARRAY[@delay]::interval[], @onlyExpired)
        """;

    private async Task<(long Campaign, StateMachineScene.Message Message)> SendingAsync(
        string status = "pending", int retryCount = 0, TimeSpan? queuedIn = null, TimeSpan? dueIn = null, bool optedOut = false)
    {
        var campaign = await _scene.CampaignAsync("paused");
        var message = await _scene.MessageAsync(campaign, status, retryCount, queuedIn, dueIn, optedOut);
        await _scene.SetStatusAsync(campaign, "sending");
        return (campaign, message);
    }

    [Fact]
    public async Task A_job_with_the_rows_stamp_claims_a_queued_message_with_a_lease()
    {
        var (campaign, message) = await SendingAsync(queuedIn: Hour);

        var claimed = await _scene.CallManyAsync<(long Id, string Status)>(Claim, new { id = message.Id, stamp = message.QueuedAt });

        Assert.Equal([(message.Id, "sending")], claimed);
        var after = await _scene.ReadMessageAsync(message.Id);
        Assert.Null(after.QueuedAt);
        Assert.True(after.NextAttemptAt > DateTime.UtcNow.AddMinutes(50), "the lease runs an hour");
        Assert.Equal(1, (await _scene.ReadCampaignAsync(campaign)).Sending);
    }

    [Fact]
    public async Task A_stale_job_claims_nothing()
    {
        var (campaign, message) = await SendingAsync(queuedIn: Hour);

        var claimed = await _scene.CallManyAsync<(long, string)>(Claim, new { id = message.Id, stamp = message.QueuedAt!.Value.AddTicks(-10) });

        Assert.Empty(claimed);
        Assert.Equal("pending", (await _scene.ReadMessageAsync(message.Id)).Status);
        Assert.Equal(1, (await _scene.ReadCampaignAsync(campaign)).Pending);
    }

    [Fact]
    public async Task A_waiting_message_is_not_claimed_by_any_job()
    {
        // Due later: a due one the shared graph's retry driver may queue, and its worker claim, before the status is read.
        var (_, message) = await SendingAsync(retryCount: 1, dueIn: Hour);

        Assert.Empty(await _scene.CallManyAsync<(long, string)>(Claim, new { id = message.Id, stamp = (DateTime?)DateTime.UtcNow }));
        Assert.Equal("pending", (await _scene.ReadMessageAsync(message.Id)).Status);
    }

    [Theory]
    [InlineData("paused")]
    [InlineData("cancelled")]
    [InlineData("scheduled")]
    public async Task Nothing_is_claimed_for_a_campaign_that_is_not_sending(string campaignStatus)
    {
        var campaign = await _scene.CampaignAsync("paused");
        var message = await _scene.MessageAsync(campaign, "pending", queuedIn: Hour);
        await _scene.SetStatusAsync(campaign, campaignStatus);

        Assert.Empty(await _scene.CallManyAsync<(long, string)>(Claim, new { id = message.Id, stamp = message.QueuedAt }));
    }

    [Theory]
    [InlineData("sending")]
    [InlineData("sent")]
    [InlineData("failed")]
    [InlineData("cancelled")]
    public async Task A_message_that_is_not_pending_is_never_claimed(string status)
    {
        var (_, message) = await SendingAsync(status, queuedIn: Hour);

        Assert.Empty(await _scene.CallManyAsync<(long, string)>(Claim, new { id = message.Id, stamp = message.QueuedAt }));
        Assert.Equal(status, (await _scene.ReadMessageAsync(message.Id)).Status);
    }

    [Fact]
    public async Task A_customer_who_opted_out_since_the_send_is_cancelled_at_claim()
    {
        var (campaign, message) = await SendingAsync(queuedIn: Hour, optedOut: true);

        Assert.Equal([(message.Id, "cancelled")], await _scene.CallManyAsync<(long, string)>(Claim, new { id = message.Id, stamp = message.QueuedAt }));
        Assert.Equal("customer opted out", (await _scene.ReadMessageAsync(message.Id)).LastError);
        Assert.Equal(1, (await _scene.ReadCampaignAsync(campaign)).Cancelled);
    }

    [Theory]
    [InlineData("sent", 0, null)]
    [InlineData("pending", 1, "timeout")]
    [InlineData("failed", 3, "max retries exceeded: timeout")]
    public async Task An_outcome_moves_a_sending_message_on(string status, int retryCount, string? error)
    {
        var (campaign, message) = await SendingAsync("sending");

        var applied = await _scene.CallManyAsync<(long Id, string Status)>(Outcome, new
        {
            id = message.Id, claimed = 0, status, retryCount, error, delay = TimeSpan.FromMinutes(5), onlyExpired = false,
        });

        Assert.Equal([(message.Id, status)], applied);
        var after = await _scene.ReadMessageAsync(message.Id);
        Assert.Equal(retryCount, after.RetryCount);
        Assert.Equal(error, after.LastError);
        Assert.Null(after.QueuedAt);
        if (status == "pending")
        {
            Assert.True(after.NextAttemptAt > DateTime.UtcNow.AddMinutes(4), "a retry waits out its backoff");
        }
        await _scene.ReadCampaignAsync(campaign);
    }

    [Fact]
    public async Task An_outcome_of_an_earlier_attempt_changes_nothing()
    {
        var (campaign, message) = await SendingAsync("sending", retryCount: 1);

        Assert.Empty(await _scene.CallManyAsync<(long, string)>(Outcome, new
        {
            id = message.Id, claimed = 0, status = "sent", retryCount = 0, error = (string?)null, delay = TimeSpan.Zero, onlyExpired = false,
        }));
        Assert.Equal("sending", (await _scene.ReadMessageAsync(message.Id)).Status);
        await _scene.ReadCampaignAsync(campaign);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("sent")]
    [InlineData("cancelled")]
    public async Task An_outcome_for_a_message_not_sending_changes_nothing(string status)
    {
        var (_, message) = await SendingAsync(status);

        Assert.Empty(await _scene.CallManyAsync<(long, string)>(Outcome, new
        {
            id = message.Id, claimed = 0, status = "failed", retryCount = 1, error = "x", delay = TimeSpan.Zero, onlyExpired = false,
        }));
        Assert.Equal(status, (await _scene.ReadMessageAsync(message.Id)).Status);
    }

    [Fact]
    public async Task A_retry_asked_for_after_the_campaign_was_cancelled_is_cancelled()
    {
        var campaign = await _scene.CampaignAsync("paused");
        var message = await _scene.MessageAsync(campaign, "sending");
        await _scene.SetStatusAsync(campaign, "cancelled");

        var applied = await _scene.CallManyAsync<(long, string)>(Outcome, new
        {
            id = message.Id, claimed = 0, status = "pending", retryCount = 1, error = "timeout", delay = TimeSpan.Zero, onlyExpired = false,
        });

        Assert.Equal([(message.Id, "cancelled")], applied);
        Assert.Equal(1, (await _scene.ReadCampaignAsync(campaign)).Cancelled);
    }

    [Fact]
    public async Task The_lease_reconciler_applies_only_where_the_lease_has_run_out()
    {
        var (_, message) = await SendingAsync("sending");

        Assert.Empty(await _scene.CallManyAsync<(long, string)>(Outcome, new
        {
            id = message.Id, claimed = 0, status = "pending", retryCount = 1, error = "lease expired", delay = TimeSpan.Zero, onlyExpired = true,
        }));
        Assert.Equal("sending", (await _scene.ReadMessageAsync(message.Id)).Status);
    }

    [Theory]
    [InlineData("sending", "pending")]
    [InlineData("cancelled", "cancelled")]
    public async Task A_claim_handed_back_goes_back_without_an_attempt(string campaignStatus, string expected)
    {
        var campaign = await _scene.CampaignAsync("paused");
        var message = await _scene.MessageAsync(campaign, "sending", retryCount: 1);
        await _scene.MessageAsync(campaign, "pending", queuedIn: Hour); // keeps a sending campaign from completing
        await _scene.SetStatusAsync(campaign, campaignStatus);

        // Read in the hand-back's transaction: due at once, the graph's retry driver would otherwise queue it again first.
        var (handedBack, after) = await _scene.CallThenReadMessageAsync<(long Id, string Status)>(Outcome, new
        {
            id = message.Id, claimed = 1, status = "pending", retryCount = 1, error = (string?)null, delay = TimeSpan.Zero, onlyExpired = false,
        }, message.Id);

        Assert.Equal([(message.Id, expected)], handedBack);
        Assert.Equal(1, after.RetryCount);
        Assert.Null(after.QueuedAt);
        Assert.True(after.NextAttemptAt <= DateTime.UtcNow.AddSeconds(1), "due at once, for the retry driver");
        await _scene.ReadCampaignAsync(campaign);
    }

    [Fact]
    public async Task A_lease_is_renewed_only_for_the_attempt_that_holds_it()
    {
        var (_, message) = await SendingAsync("sending", retryCount: 2);

        var renewed = await _scene.CallManyAsync<long>(
            "SELECT id FROM renew_leases(ARRAY[@id, @id]::bigint[], ARRAY[2, 1], interval '2 hours')", new { id = message.Id });

        Assert.Equal([message.Id], renewed);
        Assert.True((await _scene.ReadMessageAsync(message.Id)).NextAttemptAt > DateTime.UtcNow.AddMinutes(100));
    }

    [Fact]
    public async Task Due_messages_are_stamped_for_publishing_and_the_rest_left_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        var campaign = await _scene.CampaignAsync("paused");
        var due = await _scene.MessageAsync(campaign, "pending", retryCount: 1, dueIn: TimeSpan.FromSeconds(-1));
        var first = await _scene.MessageAsync(campaign, "pending", dueIn: TimeSpan.FromSeconds(-1));
        var notDue = await _scene.MessageAsync(campaign, "pending", retryCount: 1, dueIn: Hour);
        var lost = await _scene.MessageAsync(campaign, "pending", queuedIn: -Hour);
        var live = await _scene.MessageAsync(campaign, "pending", queuedIn: TimeSpan.FromSeconds(-1));
        var pausedCampaign = await _scene.CampaignAsync("paused");
        var dueButPaused = await _scene.MessageAsync(pausedCampaign, "pending", dueIn: TimeSpan.FromSeconds(-1));

        // The campaign turns sending inside this transaction only: the worker's own retry driver cannot take them.
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE campaigns SET status = 'sending' WHERE id = @campaign",
            new { campaign }, transaction, cancellationToken: ct));
        var taken = (await connection.QueryAsync<(long Id, DateTime QueuedAt, string Reason)>(new CommandDefinition(
            "SELECT id, queued_at, reason FROM take_due_messages(100000, interval '1 minute')", transaction: transaction, cancellationToken: ct)))
            .ToDictionary(t => t.Id);
        var stamps = (await connection.QueryAsync<(long Id, DateTime? QueuedAt)>(new CommandDefinition(
            "SELECT id, queued_at FROM outbound_messages WHERE id = ANY(@ids)",
            new { ids = new[] { due.Id, first.Id, notDue.Id, lost.Id, live.Id, dueButPaused.Id } }, transaction, cancellationToken: ct)))
            .ToDictionary(m => m.Id, m => m.QueuedAt);
        await transaction.RollbackAsync(ct);

        Assert.Equal("retry_due", taken[due.Id].Reason);
        Assert.Equal("first_attempt", taken[first.Id].Reason);
        Assert.Equal("job_lost", taken[lost.Id].Reason);
        Assert.All(new[] { due.Id, first.Id, lost.Id }, id => Assert.Equal(taken[id].QueuedAt, stamps[id]));
        Assert.DoesNotContain(notDue.Id, taken.Keys);
        Assert.DoesNotContain(live.Id, taken.Keys);
        Assert.DoesNotContain(dueButPaused.Id, taken.Keys);
        Assert.Null(stamps[notDue.Id]);
        Assert.Equal(live.QueuedAt, stamps[live.Id]);
    }

    [Fact]
    public async Task A_deleted_customer_leaves_the_counters_and_the_campaign_completes()
    {
        var campaign = await _scene.CampaignAsync("paused");
        await _scene.MessageAsync(campaign, "sent");
        var pending = await _scene.MessageAsync(campaign, "pending", queuedIn: Hour);
        await _scene.SetStatusAsync(campaign, "sending");
        var customer = await _scene.CallAsync<long>("SELECT customer_id FROM outbound_messages WHERE id = @id", new { id = pending.Id });

        await _scene.CallAsync<int>("WITH d AS (DELETE FROM customers WHERE id = @customer RETURNING 1) SELECT count(*)::int FROM d", new { customer });

        var after = await _scene.ReadCampaignAsync(campaign);
        Assert.Equal((1, 0), (after.Total, after.Pending));
        // The worker's completion sweep may get there first: exactly once either way.
        await _scene.CallManyAsync<(long, string)>("SELECT * FROM complete_campaigns(ARRAY[@campaign]::bigint[])", new { campaign });
        Assert.Equal("sent", (await _scene.ReadCampaignAsync(campaign)).Status);
    }
}

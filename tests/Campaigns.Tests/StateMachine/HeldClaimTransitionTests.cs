using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.StateMachine;

/// <summary>
/// Claims a worker holds (migration 0007): a late outcome against a lease expiry, a hand-back, and the
/// confirmation of a claim that waited for permits, which answers to pause and cancel.
/// </summary>
public sealed class HeldClaimTransitionTests(AppFixture fixture)
{
    private readonly StateMachineScene _scene = new(fixture.Database);

    private const string Outcome = """
        SELECT id, status FROM record_attempt_outcomes(ARRAY[@id]::bigint[], ARRAY[@claimed], ARRAY[@status], ARRAY[@retryCount],
                                                       ARRAY[@error]::text[], ARRAY[@delay]::interval[], false)
        """;
    private const string Confirm = "SELECT id, status FROM confirm_claims(ARRAY[@id]::bigint[], ARRAY[@claimed], interval '2 hours')";

    private async Task<(long Campaign, StateMachineScene.Message Message)> SendingAsync(int retryCount = 0)
    {
        var campaign = await _scene.CampaignAsync("paused");
        var message = await _scene.MessageAsync(campaign, "sending", retryCount);
        // Keeps the campaign from completing under the tests' feet.
        await _scene.MessageAsync(campaign, "pending", queuedIn: StateMachineScene.Later);
        await _scene.SetStatusAsync(campaign, "sending");
        return (campaign, message);
    }

    /// <summary>
    /// The lease reconciler's guess, as it makes it, in one transaction that first lets the lease run
    /// out, so the running worker's own reconciler never sees this lease expired.
    /// </summary>
    private async Task<string> ExpireLeaseAsync(long id, int claimed, string status, int retryCount)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbound_messages SET next_attempt_at = now() - interval '1 second' WHERE id = @id", new { id }, transaction, cancellationToken: ct));
        var guessed = await connection.QuerySingleAsync<string>(new CommandDefinition("""
            SELECT status FROM record_attempt_outcomes(ARRAY[@id]::bigint[], ARRAY[@claimed], ARRAY[@status], ARRAY[@retryCount],
                                                       ARRAY['lease expired'], ARRAY[interval '1 hour'], true)
            """, new { id, claimed, status, retryCount }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return guessed;
    }

    [Theory]
    [InlineData(0, "pending")]
    [InlineData(2, "failed")]
    public async Task A_late_sent_replaces_a_lease_expiry_nothing_acted_on(int claimed, string guessed)
    {
        var (campaign, message) = await SendingAsync(claimed);
        Assert.Equal(guessed, await ExpireLeaseAsync(message.Id, claimed, guessed, claimed + 1));
        await _scene.ReadCampaignAsync(campaign);

        var applied = await _scene.CallManyAsync<(long Id, string Status)>(Outcome, new
        {
            id = message.Id, claimed, status = "sent", retryCount = claimed, error = (string?)null, delay = TimeSpan.Zero,
        });

        Assert.Equal([(message.Id, "sent")], applied);
        var after = await _scene.ReadMessageAsync(message.Id);
        Assert.Equal((claimed, (string?)null), (after.RetryCount, after.LastError));
        Assert.Equal(1, (await _scene.ReadCampaignAsync(campaign)).Sent);
    }

    [Fact]
    public async Task A_late_outcome_is_ignored_once_the_message_was_claimed_again()
    {
        var (campaign, message) = await SendingAsync();
        await ExpireLeaseAsync(message.Id, 0, "pending", 1);
        var stamp = await _scene.CallAsync<DateTime>(
            "UPDATE outbound_messages SET queued_at = now() + interval '1 hour' WHERE id = @id RETURNING queued_at", new { id = message.Id });
        Assert.Single(await _scene.CallManyAsync<(long, string)>(
            "SELECT id, status FROM claim_messages(ARRAY[@id]::bigint[], ARRAY[@stamp]::timestamptz[], interval '1 hour')", new { id = message.Id, stamp }));

        Assert.Empty(await _scene.CallManyAsync<(long, string)>(Outcome, new
        {
            id = message.Id, claimed = 0, status = "sent", retryCount = 0, error = (string?)null, delay = TimeSpan.Zero,
        }));
        var after = await _scene.ReadMessageAsync(message.Id);
        Assert.Equal(("sending", 1), (after.Status, after.RetryCount));
        await _scene.ReadCampaignAsync(campaign);
    }

    [Fact]
    public async Task A_claim_handed_back_after_its_lease_expired_costs_no_attempt()
    {
        var (campaign, message) = await SendingAsync(retryCount: 1);
        await ExpireLeaseAsync(message.Id, 1, "pending", 2);

        var applied = await _scene.CallManyAsync<(long Id, string Status)>(Outcome, new
        {
            id = message.Id, claimed = 1, status = "pending", retryCount = 1, error = (string?)null, delay = TimeSpan.FromHours(1),
        });

        Assert.Equal([(message.Id, "pending")], applied);
        var after = await _scene.ReadMessageAsync(message.Id);
        Assert.Equal((1, (string?)null), (after.RetryCount, after.LastError));
        await _scene.ReadCampaignAsync(campaign);
    }

    [Fact]
    public async Task A_late_retry_does_not_reopen_a_finished_campaign()
    {
        var (campaign, message) = await SendingAsync(retryCount: 2);
        await ExpireLeaseAsync(message.Id, 2, "failed", 3);
        await _scene.SetStatusAsync(campaign, "failed");

        Assert.Empty(await _scene.CallManyAsync<(long, string)>(Outcome, new
        {
            id = message.Id, claimed = 2, status = "pending", retryCount = 2, error = (string?)null, delay = TimeSpan.Zero,
        }));
        Assert.Equal("failed", (await _scene.ReadMessageAsync(message.Id)).Status);
    }

    [Theory]
    [InlineData("sending", "sending")]
    [InlineData("paused", "pending")]
    [InlineData("cancelled", "cancelled")]
    public async Task A_claim_that_waited_goes_only_while_its_campaign_is_sending(string campaignStatus, string expected)
    {
        var (campaign, message) = await SendingAsync(retryCount: 1);
        await _scene.SetStatusAsync(campaign, campaignStatus);

        var confirmed = await _scene.CallManyAsync<(long Id, string Status)>(Confirm, new { id = message.Id, claimed = 1 });

        Assert.Equal([(message.Id, expected)], confirmed);
        var after = await _scene.ReadMessageAsync(message.Id);
        Assert.Equal((expected, 1), (after.Status, after.RetryCount));
        if (expected == "sending")
        {
            Assert.True(after.NextAttemptAt > DateTime.UtcNow.AddMinutes(100), "the lease is renewed");
        }
        else
        {
            Assert.Null(after.QueuedAt);
        }
        await _scene.ReadCampaignAsync(campaign);
    }

    [Fact]
    public async Task A_claim_no_longer_held_is_not_confirmed()
    {
        var (campaign, message) = await SendingAsync(retryCount: 1);

        Assert.Empty(await _scene.CallManyAsync<(long, string)>(Confirm, new { id = message.Id, claimed = 0 }));
        Assert.Equal("sending", (await _scene.ReadMessageAsync(message.Id)).Status);
        await _scene.ReadCampaignAsync(campaign);
    }
}

using System.Net;
using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Delivery;
using Dapper;
using Npgsql;
using Microsoft.Extensions.Logging.Abstractions;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// Worker transactions of one campaign share its row and count into tallies (migration 0005): they run
/// side by side, readers see the true sums, and a control action folds the tallies before it acts.
/// </summary>
public sealed class CampaignTallyTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>
    /// A sending campaign of <paramref name="count"/> pending messages queued with a stamp that no job in
    /// the stream carries, an hour ahead so the retry driver takes none for lost: only the test claims them.
    /// </summary>
    private async Task<(long Campaign, ClaimStore.JobStamp[] Jobs)> SendingCampaignAsync(int count)
    {
        var campaign = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(count, Ct);
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        var jobs = (await connection.QueryAsync<(long Id, DateTime QueuedAt)>(new CommandDefinition("""
            UPDATE campaigns SET status = 'sending', audience_attached_at = now(), total_count = @count, pending_count = @count
            WHERE id = @campaign;
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, queued_at)
            SELECT @campaign, c, 'x', now() + interval '1 hour' FROM unnest(@customers) AS c
            RETURNING id, queued_at;
            """, new { campaign, count, customers }, cancellationToken: Ct))).OrderBy(j => j.Id).Select(j => new ClaimStore.JobStamp(j.Id, j.QueuedAt)).ToArray();
        return (campaign, jobs);
    }

    [Fact]
    public async Task A_claim_does_not_wait_for_another_worker_transaction_of_the_same_campaign()
    {
        var (_, jobs) = await SendingCampaignAsync(4);

        // Another worker's claim, mid-transaction: campaign shared, two messages taken, not committed.
        await using var other = await fixture.Database.OpenConnectionAsync(Ct);
        await using var transaction = await other.BeginTransactionAsync(Ct);
        await other.ExecuteAsync(new CommandDefinition("SELECT count(*) FROM claim_messages(@ids, @stamps, interval '1 hour')",
            new { ids = jobs[..2].Select(j => j.MessageId).ToArray(), stamps = jobs[..2].Select(j => j.QueuedAt).ToArray() },
            transaction, cancellationToken: Ct));

        // Workers count into one of 8 tally rows by backend (pg_backend_pid() % 8): two that share a row do
        // wait for each other, by design and rarely. This claim runs on a backend of another row.
        var connections = new List<NpgsqlConnection>();
        try
        {
            NpgsqlConnection claimer;
            do
            {
                connections.Add(claimer = await fixture.Database.OpenConnectionAsync(Ct));
            }
            while (claimer.ProcessID % 8 == other.ProcessID % 8);

            // With the counters on the campaign row this claim queued behind that transaction until it ended.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            var claimed = await claimer.QueryAsync<ClaimStore.ClaimedRow>(new CommandDefinition(ClaimStore.ClaimSql, new
            {
                messageIds = jobs[2..].Select(j => j.MessageId).ToArray(),
                queuedAt = jobs[2..].Select(j => j.QueuedAt).ToArray(),
                lease = Hour,
                sendTrace = (string?)null,
                campaignIds = (long[]?)null,
            }, cancellationToken: deadline.Token));

            Assert.Equal(jobs[2..].Select(j => j.MessageId), claimed.Select(r => r.Id).Order());
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
        await transaction.RollbackAsync(Ct);
    }

    [Fact]
    public async Task Stats_add_the_tallies_and_a_pause_folds_them_into_the_campaign_row()
    {
        var (campaign, jobs) = await SendingCampaignAsync(3);
        var claims = new ClaimStore(fixture.Database);
        await claims.ClaimAsync(jobs[..1], Hour, Ct);
        await claims.ClaimAsync(jobs[1..], Hour, Ct);
        Assert.True(await TallyRowsAsync(campaign) >= 1);

        var stats = (await _api.GetJsonAsync($"/campaigns/{campaign}", Ct)).Expect(HttpStatusCode.OK).Json["stats"]!;
        Assert.Equal(0, stats["pending"]!.GetValue<int>());
        Assert.Equal(3, stats["sending"]!.GetValue<int>());

        var paused = (await _api.PostJsonAsync($"/campaigns/{campaign}/pause", null, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(3, paused["stats"]!["sending"]!.GetValue<int>());
        Assert.Equal(0, await TallyRowsAsync(campaign));
        Assert.Equal((0, 3), await RowCountersAsync<(int, int)>("pending_count, sending_count", campaign));
    }

    [Fact]
    public async Task The_last_outcome_batch_completes_the_campaign_from_the_summed_counts()
    {
        var (campaign, jobs) = await SendingCampaignAsync(2);
        var claimed = await new ClaimStore(fixture.Database).ClaimAsync(jobs, Hour, Ct);
        var outcomes = new OutcomeStore(fixture.Database, NullLogger<OutcomeStore>.Instance);

        var first = await outcomes.ApplyAsync([Sent(claimed[0])], onlyExpiredLeases: false, Ct);
        Assert.Empty(first.CompletedCampaigns);
        var last = await outcomes.ApplyAsync([Sent(claimed[1])], onlyExpiredLeases: false, Ct);

        Assert.Equal([new CampaignCompletion.Completed(campaign, "sent")], last.CompletedCampaigns);
        Assert.Equal(0, await TallyRowsAsync(campaign));
        Assert.Equal((2, 0, 0), await RowCountersAsync<(int, int, int)>("sent_count, pending_count, sending_count", campaign));
    }

    private static AttemptOutcome Sent(ClaimStore.ClaimedRow row) =>
        new(row.Id, row.RetryCount, "sent", row.RetryCount, null, TimeSpan.Zero);

    /// <summary>The counters on the campaign row itself, without its tallies.</summary>
    private async Task<T> RowCountersAsync<T>(string columns, long campaign)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        return await connection.QuerySingleAsync<T>(new CommandDefinition(
            $"SELECT {columns} FROM campaigns WHERE id = @campaign", new { campaign }, cancellationToken: Ct));
    }

    private Task<long> TallyRowsAsync(long campaign) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM campaign_tallies WHERE campaign_id = @campaign", new { campaign }, Ct);
}

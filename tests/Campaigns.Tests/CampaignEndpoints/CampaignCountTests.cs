using System.Net;
using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.CampaignEndpoints;

/// <summary>
/// The list's <c>total_count</c> comes from maintained counts (migration 0004), not from counting the
/// table; these tests hold it to <c>count(*)</c> through every kind of write.
/// </summary>
public sealed class CampaignCountTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // One statement, so one snapshot: whatever other tests write meanwhile, both sides see the same rows.
    private const string MismatchesSql = """
        WITH counted AS (
            SELECT channel, status, count(*) AS n FROM campaigns GROUP BY channel, status
        ),
        maintained AS (
            SELECT channel, status, sum(n) AS n FROM (
                SELECT channel, status, n FROM campaign_counts
                UNION ALL
                SELECT channel, status, delta FROM campaign_count_deltas) parts
            GROUP BY channel, status
        )
        SELECT count(*) FROM counted FULL JOIN maintained USING (channel, status)
        WHERE coalesce(counted.n, 0) <> coalesce(maintained.n, 0)
        """;

    [Fact]
    public async Task Maintained_counts_equal_count_star_through_bulk_inserts_moves_deletes_and_compaction()
    {
        var tag = $"counts-{Guid.NewGuid():N}";
        await fixture.Database.ExecuteAsync("""
            INSERT INTO campaigns (name, channel, status, base_template)
            SELECT @tag, CASE WHEN i % 3 = 0 THEN 'whatsapp' ELSE 'sms' END, CASE WHEN i % 2 = 0 THEN 'draft' ELSE 'sent' END, 'Hi'
            FROM generate_series(1, 500) i
            """, new { tag }, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));

        await fixture.Database.ExecuteAsync(
            "UPDATE campaigns SET status = 'cancelled' WHERE name = @tag AND id % 5 = 0", new { tag }, Ct);
        await fixture.Database.ExecuteAsync(
            "UPDATE campaigns SET channel = 'whatsapp', status = 'scheduled' WHERE name = @tag AND id % 7 = 0", new { tag }, Ct);
        // A counter-only update changes no count.
        await fixture.Database.ExecuteAsync("UPDATE campaigns SET sent_count = sent_count + 1 WHERE name = @tag", new { tag }, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));

        await fixture.Database.ExecuteAsync("DELETE FROM campaigns WHERE name = @tag AND id % 4 = 0", new { tag }, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));

        await fixture.Database.ScalarAsync<long>("SELECT compact_campaign_counts()", null, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));
        await fixture.Database.ExecuteAsync("DELETE FROM campaigns WHERE name = @tag", new { tag }, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));
    }

    [Fact]
    public async Task Compaction_folds_committed_deltas_and_leaves_uncommitted_ones_alone()
    {
        var tag = $"counts-{Guid.NewGuid():N}";
        await using var open = await fixture.Database.OpenConnectionAsync(Ct);
        await using var transaction = await open.BeginTransactionAsync(Ct);
        await open.ExecuteAsync(new CommandDefinition(
            "INSERT INTO campaigns (name, channel, base_template) SELECT @tag, 'sms', 'Hi' FROM generate_series(1, 3)",
            new { tag }, transaction, cancellationToken: Ct));

        await fixture.Database.ScalarAsync<long>("SELECT compact_campaign_counts()", null, Ct);
        var deltasSeenByTheWriter = await open.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM campaign_count_deltas WHERE delta = 3 AND channel = 'sms' AND status = 'draft'",
            transaction: transaction, cancellationToken: Ct));
        Assert.True(deltasSeenByTheWriter >= 1, "the uncommitted delta was folded away");

        await transaction.CommitAsync(Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));
        await fixture.Database.ScalarAsync<long>("SELECT compact_campaign_counts()", null, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));
        await fixture.Database.ExecuteAsync("DELETE FROM campaigns WHERE name = @tag", new { tag }, Ct);
    }

    [Fact]
    public async Task A_long_status_change_does_not_block_creating_or_deleting_campaigns_of_the_same_kind()
    {
        long[] ids;
        await using (var setup = await fixture.Database.OpenConnectionAsync(Ct))
        {
            ids = [.. await setup.QueryAsync<long>(new CommandDefinition(
                "INSERT INTO campaigns (name, channel, base_template) SELECT 'counts-lock', 'sms', 'Hi' FROM generate_series(1, 2) RETURNING id",
                cancellationToken: Ct))];
        }

        // Like a send: the status flips at the start of a transaction that stays open for a while.
        await using var sending = await fixture.Database.OpenConnectionAsync(Ct);
        await using var transaction = await sending.BeginTransactionAsync(Ct);
        await sending.ExecuteAsync(new CommandDefinition(
            "UPDATE campaigns SET status = 'sending' WHERE id = @id", new { id = ids[0] }, transaction, cancellationToken: Ct));

        // A shared counter row would make these wait for that transaction; lock_timeout turns a wait into an error.
        await using var other = await fixture.Database.OpenConnectionAsync(Ct);
        await other.ExecuteAsync(new CommandDefinition("SET lock_timeout = '3s'", cancellationToken: Ct));
        await other.ExecuteAsync(new CommandDefinition(
            "INSERT INTO campaigns (name, channel, base_template) VALUES ('counts-lock', 'sms', 'Hi')", cancellationToken: Ct));
        await other.ExecuteAsync(new CommandDefinition("DELETE FROM campaigns WHERE id = @id", new { id = ids[1] }, cancellationToken: Ct));
        await other.ExecuteAsync(new CommandDefinition("SELECT compact_campaign_counts()", cancellationToken: Ct));

        await transaction.CommitAsync(Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));
    }

    [Fact]
    public async Task Filtered_totals_follow_creates_schedules_and_deletes_through_the_api()
    {
        await using var isolated = await IsolatedApi.StartAsync(fixture, Ct);
        var drafts = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            drafts.Add((await isolated.Client.CreateCampaignAsync(Ct, channel: "whatsapp"))["id"]!.GetValue<long>());
        }
        await isolated.Client.CreateCampaignAsync(Ct, channel: "sms", scheduledAt: DateTimeOffset.UtcNow.AddDays(1));
        (await isolated.Client.DeleteJsonAsync($"/campaigns/{drafts[0]}", Ct)).Expect(HttpStatusCode.NoContent);
        (await isolated.Client.PatchJsonAsync($"/campaigns/{drafts[1]}",
            new { scheduled_at = DateTimeOffset.UtcNow.AddDays(2) }, Ct)).Expect(HttpStatusCode.OK);

        Assert.Equal(4, await TotalAsync(isolated.Client, ""));
        Assert.Equal(2, await TotalAsync(isolated.Client, "status=draft"));
        Assert.Equal(2, await TotalAsync(isolated.Client, "status=scheduled"));
        Assert.Equal(1, await TotalAsync(isolated.Client, "status=scheduled&channel=whatsapp"));
        Assert.Equal(0, await TotalAsync(isolated.Client, "status=sent"));
    }

    private static async Task<long> TotalAsync(HttpClient client, string query)
    {
        var body = (await client.GetJsonAsync($"/campaigns?{query}", Ct)).Expect(HttpStatusCode.OK).Json;
        return body["pagination"]!["total_count"]!.GetValue<long>();
    }
}

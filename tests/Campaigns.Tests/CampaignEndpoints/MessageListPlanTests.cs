using System.Globalization;
using System.Text.RegularExpressions;
using Campaigns.Api.Data;
using Campaigns.Api.Paging;
using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.CampaignEndpoints;

/// <summary>
/// A page of a campaign's messages of one status, newest first, reads that status's range of the campaign's part of the
/// status index (read backward, or its few rows sorted): no other status's rows, no other partition, and a cursor page
/// starts at its cursor.
/// </summary>
public sealed class MessageListPlanTests(AppFixture fixture)
{
    private const int Messages = 5_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_page_of_one_status_reads_only_that_status_from_the_status_index(bool cursor)
    {
        var customers = await fixture.Database.InsertCustomersAsync(Messages, Ct);
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        // Mostly sent, every fiftieth failed: the page asks for the few, so reading the campaign's rows in id order
        // and filtering would read fifty rows for each one it returns.
        var campaignId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            WITH c AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at)
                VALUES (@name, 'sms', 'sent', 'Hi', now()) RETURNING id),
            m AS (
                INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content)
                SELECT c.id, u, CASE WHEN n % 50 = 0 THEN 'failed' ELSE 'sent' END, 'Hi'
                FROM c, unnest(@customers::bigint[]) WITH ORDINALITY AS a(u, n))
            SELECT id FROM c
            """, new { name = Unique.Name("status-page-plan"), customers }, cancellationToken: Ct));
        var partition = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT tableoid::regclass::text FROM outbound_messages WHERE campaign_id = @campaignId LIMIT 1",
            new { campaignId }, cancellationToken: Ct));
        await connection.ExecuteAsync(new CommandDefinition($"ANALYZE {partition}", cancellationToken: Ct));
        var failed = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM outbound_messages WHERE campaign_id = @campaignId AND status = 'failed' ORDER BY id DESC",
            new { campaignId }, cancellationToken: Ct))).AsList();
        long? beforeId = cursor ? failed[10] : null;
        var page = new PageRequest(1, PageRequest.DefaultPageSize, beforeId);

        var sql = MessageStore.ListRowsSql(page, byStatus: true);
        var parameters = new { campaignId, status = "failed", beforeId };
        var plan = await NestedPlans.CaptureExecutedAsync(fixture.Database, sql, parameters, Ct);
        var rows = (await connection.QueryAsync<MessageRow>(new CommandDefinition(sql, parameters, cancellationToken: Ct)))
            .Select(row => row.Id);

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        Assert.Equal(failed.Skip(cursor ? 11 : 0).Take(PageRequest.DefaultPageSize + 1), rows);
        // The campaign's failed messages alone, from the status index: at most those rows read, never the sent ones.
        var scan = Regex.Match(plan, $@"Index Scan (?:Backward )?using idx_outbound_messages_campaign_status_id_{MessagePartitions.Suffix(partition)} on {partition} \S+ +\(cost=[^)]*\) \(actual rows=(?<rows>\d+)");
        Assert.True(scan.Success, plan);
        Assert.InRange(int.Parse(scan.Groups["rows"].Value, CultureInfo.InvariantCulture), 1, failed.Count);
        Assert.Equal([partition], MessagePartitions.Executed(plan));
        if (cursor)
        {
            Assert.Matches(@"Index Cond: \(\(campaign_id = \$\d+\) AND \(status = \$\d+\) AND \(id < \$\d+\)\)", plan);
        }
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM campaigns WHERE id = @campaignId", new { campaignId }, cancellationToken: Ct));
    }
}

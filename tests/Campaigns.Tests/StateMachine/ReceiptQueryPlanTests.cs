using System.Globalization;
using System.Text.RegularExpressions;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.StateMachine;

/// <summary>
/// A receipt names its message only by the provider's id. The applier finds the message by one probe of
/// <c>provider_message_ids</c> (migration 0038), not by a probe of each partition of the
/// messages, and then addresses the message by (id, campaign_id).
/// </summary>
public sealed class ReceiptQueryPlanTests(AppFixture fixture)
{
    private readonly ReceiptScene _receipts = new(fixture.Database);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_applier_finds_a_receipts_message_by_one_probe_of_the_provider_ids_then_in_one_partition()
    {
        var (_, message) = await _receipts.OneInFlightAsync();
        var providerMessageId = await _receipts.AcceptedAsync(message);

        // Stored in the captured (rolled-back) transaction: the running worker's applier never sees it.
        var plans = await NestedPlans.CaptureExecutedAsync(fixture.Database, """
            SELECT store_receipts('twilio', ARRAY[@providerMessageId], ARRAY['delivered'], ARRAY['delivered'], ARRAY[NULL::text],
                                  ARRAY[NULL::timestamptz], ARRAY[false]);
            SELECT count(*) FROM apply_receipts(100000);
            """, new { providerMessageId }, Ct);

        var batch = Statement(plans, "SELECT array_agg(t.id ORDER BY t.id)");
        Assert.Contains("Index Scan using provider_message_ids_pkey on provider_message_ids found", batch);
        Assert.DoesNotContain("outbound_messages", batch);
        // The batch's messages are then read and moved by (id, campaign_id): each in its partition, through a key on both.
        var applied = Statement(plans, "WITH receipts AS (");
        Assert.Contains("Update on outbound_messages", applied);
        Assert.Matches(@"Index Cond: \(\(campaign_id = \w+\.\w+\) AND \(id = \w+\.\w+\)\)|Index Cond: \(\(id = \w+\.\w+\) AND \(campaign_id = \w+\.\w+\)\)", applied);
    }

    [Fact]
    public async Task A_batch_reads_and_looks_up_only_as_many_receipts_as_its_limit_however_long_the_inbox()
    {
        const int stored = 40;
        const int limit = 5;
        var unknownIds = Enumerable.Range(0, stored).Select(_ => "SMbacklog" + Guid.NewGuid().ToString("N")).ToArray();

        // A backlog eight times the batch, in the captured (rolled-back) transaction; the receipts name ids nobody recorded,
        // which the applier looks up all the same.
        var plans = await NestedPlans.CaptureExecutedAsync(fixture.Database, """
            SELECT store_receipts('twilio', @unknownIds, array_fill('delivered'::text, ARRAY[@stored]),
                                  array_fill('delivered'::text, ARRAY[@stored]), array_fill(NULL::text, ARRAY[@stored]),
                                  array_fill(NULL::timestamptz, ARRAY[@stored]), array_fill(false, ARRAY[@stored]));
            SELECT count(*) FROM apply_receipts(@limit);
            """, new { unknownIds, stored, limit }, Ct);

        var batch = Statement(plans, "SELECT array_agg(t.id ORDER BY t.id)");
        Assert.Contains("Index Scan using idx_provider_receipts_ready on provider_receipts ready", batch);
        var lookups = Regex.Match(batch, @"on provider_message_ids found\s+\(cost=[^)]*\)\s+\(actual[^)]* loops=(\d+)\)");
        Assert.True(lookups.Success, $"No lookup of provider_message_ids in:\n{batch}");
        Assert.InRange(int.Parse(lookups.Groups[1].Value, CultureInfo.InvariantCulture), 1, limit);
    }

    /// <summary>One statement's plan among those the call logged, from its text to the next statement's.</summary>
    private static string Statement(string plans, string startsWith)
    {
        var start = plans.IndexOf("Query Text: " + startsWith, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No plan of {startsWith} in:\n{plans}");
        var next = plans.IndexOf("Query Text: ", start + 1, StringComparison.Ordinal);
        return next < 0 ? plans[start..] : plans[start..next];
    }
}

using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.StateMachine;

/// <summary>
/// A receipt names its message only by the provider's id. The applier finds the message by one probe of
/// <c>provider_message_ids</c> (migration 0038), not by a probe of each of the sixteen partitions of the
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

    /// <summary>One statement's plan among those the call logged, from its text to the next statement's.</summary>
    private static string Statement(string plans, string startsWith)
    {
        var start = plans.IndexOf("Query Text: " + startsWith, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No plan of {startsWith} in:\n{plans}");
        var next = plans.IndexOf("Query Text: ", start + 1, StringComparison.Ordinal);
        return next < 0 ? plans[start..] : plans[start..next];
    }
}

using System.Diagnostics;
using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// Customers are deleted through the API while their messages wait to be sent: their messages leave the
/// campaign with them, its counters and message list stay true, and the campaign completes.
/// </summary>
[Collection(nameof(RecoveryDrills))]
public sealed class CustomerDeletedDrillTests
{
    private const int Deleted = 25;

    [Fact]
    public async Task Customers_deleted_mid_send_leave_exact_counters_and_the_campaign_completes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var drill = await Drill.StartAsync(null, ct);
        var (campaignId, customers) = await drill.PrepareAsync(ct);
        (await drill.SendAsync(campaignId, customers, ct)).Expect(HttpStatusCode.Accepted);
        await drill.WaitPartWayAsync(campaignId, ct);

        // The last customers' messages are still pending: the pace leaves most of the campaign to do.
        var strike = Stopwatch.StartNew();
        foreach (var customer in customers[^Deleted..])
        {
            (await drill.Api.DeleteJsonAsync($"/customers/{customer}", ct)).Expect(HttpStatusCode.NoContent);
        }
        await drill.WaitAllTerminalAsync(campaignId, strike, ct);

        await drill.AssertDeliveredAsync(campaignId, Drill.Messages - Deleted, ct);
        var campaign = (await drill.Api.GetJsonAsync($"/campaigns/{campaignId}", ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(Drill.Messages - Deleted, campaign["stats"]!["total"]!.GetValue<int>());
        var list = (await drill.Api.GetJsonAsync($"/campaigns/{campaignId}/messages?page_size=1", ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(Drill.Messages - Deleted, list["pagination"]!["total_count"]!.GetValue<int>());
    }
}

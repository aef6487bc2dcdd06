using System.Net;
using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.Sending;

/// <summary>A send racing another request that deletes one of its customers: a clear 404, nothing written, never a 500.</summary>
public sealed class SendRaceTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_customer_deleted_after_the_send_read_it_is_a_404_with_its_id_and_nothing_is_written()
    {
        using var api = fixture.CreateApiClient();
        var campaignId = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var kept = await fixture.Database.InsertCustomerAsync(Ct);
        var deleted = await fixture.Database.InsertCustomerAsync(Ct);

        // Another request's delete, not yet committed: the send still reads the customer, and its
        // message's foreign-key check waits for this transaction.
        await using var other = await fixture.Database.OpenConnectionAsync(Ct);
        await using var deletion = await other.BeginTransactionAsync(Ct);
        await other.ExecuteAsync(new CommandDefinition("DELETE FROM customers WHERE id = @deleted", new { deleted }, deletion, cancellationToken: Ct));

        var send = api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { kept, deleted } }, Ct);
        await WaitUntilBlockedByAsync(other.ProcessID);
        await deletion.CommitAsync(Ct);
        var response = await send;

        response.Expect(HttpStatusCode.NotFound);
        Assert.Equal("CUSTOMER_NOT_FOUND", response.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal([deleted], response.Json["missing_ids"]!.AsArray().Select(id => id!.GetValue<long>()));
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, Ct));
        var campaign = (await api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("draft", campaign["status"]!.GetValue<string>());
    }

    /// <summary>Until some backend waits for a lock that <paramref name="holder"/> holds.</summary>
    private async Task WaitUntilBlockedByAsync(int holder)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (!await fixture.Database.ScalarAsync<bool>(
                   "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE @holder = ANY(pg_blocking_pids(pid)))", new { holder }, deadline.Token))
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}

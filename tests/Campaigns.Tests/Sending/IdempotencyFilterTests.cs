using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Sending;

/// <summary>The Idempotency-Key filter beyond the basics of <see cref="IdempotencyTests"/>.</summary>
public sealed class IdempotencyFilterTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ApiResponse> SendAsync(long campaignId, string body, string key) =>
        _api.SendWithIdempotencyKeyAsync(campaignId, body, key, Ct);

    [Theory]
    [InlineData("1e30")]
    [InlineData("1e400")]
    public async Task An_unknown_member_with_a_huge_number_is_ignored_not_a_500(string number)
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var body = $$"""{"customer_ids":[{{customer}}],"x":{{number}}}""";
        var key = Guid.NewGuid().ToString();

        var first = await SendAsync(campaignId, body, key);
        var retry = await SendAsync(campaignId, body, key);

        first.Expect(HttpStatusCode.Accepted);
        retry.Expect(HttpStatusCode.Accepted);
        Assert.Equal(first.Text, retry.Text);
    }

    [Fact]
    public async Task A_keyed_send_queues_its_jobs_once_the_key_has_committed_with_the_messages()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(3, Ct);
        var key = Guid.NewGuid().ToString();

        (await SendAsync(campaignId, $$"""{"customer_ids":[{{string.Join(",", customers)}}]}""", key)).Expect(HttpStatusCode.Accepted);

        Assert.Equal(1, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM idempotency_keys WHERE key = @key AND response_status = 202", new { key }, Ct));
        // Queued by the request itself: the retry driver would only queue them after Worker:RequeueAfter (60 s here).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (await fixture.Database.ScalarAsync<long>("""
                   SELECT count(DISTINCT s.outbound_message_id) FROM sender_calls s
                   JOIN outbound_messages m ON m.id = s.outbound_message_id WHERE m.campaign_id = @campaignId
                   """, new { campaignId }, deadline.Token) < customers.Length)
        {
            await Task.Delay(200, deadline.Token);
        }
    }
}

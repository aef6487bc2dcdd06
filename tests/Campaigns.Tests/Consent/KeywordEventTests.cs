using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Consent;

/// <summary>
/// A keyword reply shows on the customer's messages (migration 0018): a <c>provider_status</c> event on each message
/// of the last 24 hours and on the latest, saying what the reply did; older messages and other customers' get none.
/// </summary>
public sealed class KeywordEventTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A sent message of a finished campaign to the customer, created that long ago; returns (campaign, message).</summary>
    private async Task<(long Campaign, long Message)> MessageAsync(long customer, TimeSpan age)
    {
        var campaign = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var message = await fixture.Database.ScalarAsync<long>("""
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, created_at, next_attempt_at)
            VALUES (@campaign, @customer, 'sent', 'Hi', now() - @age, now()) RETURNING id
            """, new { campaign, customer, age }, Ct);
        return (campaign, message);
    }

    private async Task<string[]> RepliesOnAsync((long Campaign, long Message) message) =>
        [.. (await _api.GetJsonAsync($"/campaigns/{message.Campaign}/messages/{message.Message}/events", Ct)).Expect(HttpStatusCode.OK)
            .Json["data"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "provider_status").Select(e => e!["detail"]!.GetValue<string>())];

    [Fact]
    public async Task Stop_and_start_are_evented_on_the_days_messages_and_the_latest_only()
    {
        var phone = Unique.KenyanPhone();
        var customer = await fixture.Database.InsertCustomerAsync(Ct, phone: phone);
        var today = await MessageAsync(customer, TimeSpan.FromHours(2));
        var lastWeek = await MessageAsync(customer, TimeSpan.FromDays(7));
        var lastMonth = await MessageAsync(customer, TimeSpan.FromDays(30));
        var other = await MessageAsync(await fixture.Database.InsertCustomerAsync(Ct), TimeSpan.FromHours(1));

        await _api.InboundAsync(phone, "Unsubscribe", Ct);
        await _api.InboundAsync(phone, "start", Ct);

        Assert.Equal(["recipient replied UNSUBSCRIBE: suppressed on every channel", "recipient replied START: keyword suppression lifted"],
            await RepliesOnAsync(today));
        // The latest by id (created last, though dated a month ago): what a reply most likely answers.
        Assert.Equal(2, (await RepliesOnAsync(lastMonth)).Length);
        Assert.Empty(await RepliesOnAsync(lastWeek));
        Assert.Empty(await RepliesOnAsync(other));
    }

    [Fact]
    public async Task Other_texts_add_no_event()
    {
        var phone = Unique.KenyanPhone();
        var customer = await fixture.Database.InsertCustomerAsync(Ct, phone: phone);
        var today = await MessageAsync(customer, TimeSpan.FromHours(1));

        await _api.InboundAsync(phone, "don't stop", Ct);

        Assert.Empty(await RepliesOnAsync(today));
    }
}

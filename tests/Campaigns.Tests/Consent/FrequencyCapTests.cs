using System.Net;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Campaigns.Tests.Consent;

/// <summary>
/// api.md Part 2, "Timing": with <c>Compliance:Sms:MaxPerCustomerPerDay</c> set, a send skips a customer
/// who already has that many sms messages created in the last 24 h and pending, sending, sent, delivered or
/// undelivered; other channels, older messages and failed, cancelled or expired ones do not count. The API
/// runs in process with the cap, on the shared database (its jobs go to a Redis database of their own).
/// </summary>
public sealed class FrequencyCapTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Messages of a finished campaign of that channel for the customer, each created that long ago.</summary>
    private async Task HistoryAsync(long customer, string channel, params (string Status, TimeSpan Age)[] messages)
    {
        foreach (var (status, age) in messages)
        {
            await fixture.Database.ExecuteAsync("""
                WITH c AS (INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at)
                           VALUES (@name, @channel, 'sent', 'Hi', now()) RETURNING id)
                INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, created_at, next_attempt_at)
                SELECT c.id, @customer, @status, 'Hi', now() - @age, now() FROM c
                """, new { name = Unique.Name("history"), channel, customer, status, age }, Ct);
        }
    }

    [Fact]
    public async Task A_send_skips_exactly_the_customers_at_the_channels_daily_cap()
    {
        var redis = await fixture.Graph.UnreadRedisAsync(1, Ct);
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        await using var factory = InProcessApi.Create(postgres, redis,
            web => web.UseSetting("Compliance:Sms:MaxPerCustomerPerDay", "2"));
        using var api = factory.CreateAuthenticatedClient();
        var hour = TimeSpan.FromHours(1);

        var capped = await fixture.Database.InsertCustomerAsync(Ct);
        await HistoryAsync(capped, "sms", ("delivered", hour), ("pending", hour));
        var oneBelow = await fixture.Database.InsertCustomerAsync(Ct);
        await HistoryAsync(oneBelow, "sms", ("sent", hour), ("failed", hour), ("cancelled", hour), ("expired", hour));
        var otherChannel = await fixture.Database.InsertCustomerAsync(Ct);
        await HistoryAsync(otherChannel, "whatsapp", ("delivered", hour), ("delivered", hour));
        var yesterday = await fixture.Database.InsertCustomerAsync(Ct);
        await HistoryAsync(yesterday, "sms", ("delivered", TimeSpan.FromHours(25)), ("undelivered", TimeSpan.FromHours(25)));
        var optedOutAndCapped = await fixture.Database.InsertCustomerAsync(Ct, optedOut: true);
        await HistoryAsync(optedOutAndCapped, "sms", ("sent", hour), ("undelivered", hour));

        var campaign = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var sent = (await api.PostJsonAsync($"/campaigns/{campaign}/send",
            new { customer_ids = new[] { capped, oneBelow, otherChannel, yesterday, optedOutAndCapped } }, Ct)).Expect(HttpStatusCode.Accepted).Json;

        // Each skipped customer once, in the first rule that applies: opted out before capped.
        Assert.Equal((3, 1, 0, 1), (sent["messages_queued"]!.GetValue<int>(), sent["skipped_opted_out"]!.GetValue<int>(),
            sent["skipped_suppressed"]!.GetValue<int>(), sent["skipped_frequency_capped"]!.GetValue<int>()));
        var recipients = await fixture.Database.ScalarAsync<long[]>(
            "SELECT array_agg(customer_id ORDER BY customer_id) FROM outbound_messages WHERE campaign_id = @campaign", new { campaign }, Ct);
        Assert.Equal(new[] { oneBelow, otherChannel, yesterday }.Order(), recipients);
    }
}

using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.ApiBehaviour;

/// <summary>
/// Every list pages by number down to row 10,000 (page × page_size); a deeper page that still has rows
/// is a 400 pointing to the cursor, which goes on from there; a page past the end is an empty page.
/// </summary>
public sealed class DeepPageTests(AppFixture fixture)
{
    private const int Rows = 10_001;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Customer_campaign_and_message_lists_refuse_pages_past_row_10000_and_the_cursor_goes_on()
    {
        await using var isolated = await IsolatedApi.StartAsync(fixture, Ct);
        await isolated.Database.ExecuteAsync("""
            INSERT INTO customers (phone, first_name) SELECT '+2547' || lpad(g::text, 8, '0'), 'Deep' FROM generate_series(1, @rows) g;
            INSERT INTO campaigns (name, channel, base_template) SELECT 'deep ' || g, 'sms', 'Hi' FROM generate_series(1, @rows) g;
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content)
            SELECT (SELECT max(id) FROM campaigns), id, 'Hi' FROM customers;
            SELECT count_created_messages((SELECT max(id) FROM campaigns), @rows);
            """, new { rows = Rows }, Ct);
        var campaignId = await isolated.Database.ScalarAsync<long>("SELECT max(id) FROM campaigns", null, Ct);

        foreach (var list in new[] { "/customers", "/campaigns", $"/campaigns/{campaignId}/messages" })
        {
            // Down to row 10,000 exactly: answered.
            var last = (await isolated.Client.GetJsonAsync($"{list}?page=100&page_size=100", Ct)).Expect(HttpStatusCode.OK).Json;
            Assert.Equal(100, last["data"]!.AsArray().Count);
            Assert.Equal(Rows, last["pagination"]!["total_count"]!.GetValue<long>());

            foreach (var deeper in new[] { "page=101&page_size=100", "page=501", "page=10001&page_size=1" })
            {
                var refused = await isolated.Client.GetJsonAsync($"{list}?{deeper}", Ct);
                refused.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
                var message = refused.Json["errors"]!["page"]![0]!.GetValue<string>();
                Assert.Contains("10,000", message);
                Assert.Contains("cursor", message);
            }

            // Past the end is still an empty page with the true total.
            var past = (await isolated.Client.GetJsonAsync($"{list}?page=200&page_size=100", Ct)).Expect(HttpStatusCode.OK).Json;
            Assert.Empty(past["data"]!.AsArray());
            Assert.Equal(Rows, past["pagination"]!["total_count"]!.GetValue<long>());

            // The cursor reads on past row 10,000: the one row left.
            var cursor = last["pagination"]!["next_cursor"]!.GetValue<string>();
            var rest = (await isolated.Client.GetJsonAsync($"{list}?page_size=100&cursor={cursor}", Ct)).Expect(HttpStatusCode.OK).Json;
            Assert.Single(rest["data"]!.AsArray());
            Assert.Null(rest["pagination"]!["next_cursor"]);
        }
    }
}

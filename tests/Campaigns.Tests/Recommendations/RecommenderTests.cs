using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.CustomerEndpoints;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Recommendations;

/// <summary>
/// <c>{recommended_product}</c> through the built-in recommender, on a database of its own so every count is known:
/// the location's most common product (locations ignoring case), never the customer's own, then everyone's, ties to
/// the ordinally smallest, "" when there is none. Preview and send agree.
/// </summary>
public sealed class RecommenderTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_customer_gets_the_most_common_product_of_their_location_else_of_everyone_never_their_own()
    {
        await using var isolated = await IsolatedApi.StartAsync(fixture, Ct);
        var api = isolated.Client;
        var campaign = (await api.CreateCampaignAsync(Ct, template: "Try {recommended_product}!"))["id"]!.GetValue<long>();

        // Alone with their product: nothing else to recommend.
        var solo = await CustomerAsync(api, "Lamu", "Solo");
        Assert.Equal("Try !", await PreviewAsync(api, campaign, solo));

        // Nairobi: Shoes 3, Bags 2 (and one without a product, its location in capitals). Mombasa: apple 2, Banana 2, Zebra 1.
        // Everyone: Shoes 3, Bags 3, apple 2, Banana 2, Solo 1, Zebra 1.
        var nairobiShoes = await CustomerAsync(api, "Nairobi", "Shoes");
        await CustomerAsync(api, "nairobi", "Shoes");
        await CustomerAsync(api, "Nairobi", "Shoes");
        var nairobiBags = await CustomerAsync(api, "Nairobi", "Bags");
        await CustomerAsync(api, "Nairobi", "Bags");
        var nairobiNone = await CustomerAsync(api, "NAIROBI", "");
        await CustomerAsync(api, "Mombasa", "apple");
        await CustomerAsync(api, "Mombasa", "apple");
        var mombasaBanana = await CustomerAsync(api, "Mombasa", "Banana");
        await CustomerAsync(api, "Mombasa", "Banana");
        var mombasaZebra = await CustomerAsync(api, "Mombasa", "Zebra");
        var kisumuBags = await CustomerAsync(api, "Kisumu", "Bags");
        var nowhereBags = await CustomerAsync(api, "", "Bags");
        var nowhereNone = await CustomerAsync(api, "", "");

        Dictionary<long, string> expected = new()
        {
            [nairobiShoes] = "Bags",      // the location's next: their own is never recommended
            [nairobiBags] = "Shoes",
            [nairobiNone] = "Shoes",      // locations compare ignoring case
            [mombasaZebra] = "Banana",    // apple 2, Banana 2: the ordinally smallest ("B" < "a")
            [mombasaBanana] = "apple",
            [kisumuBags] = "Shoes",       // Kisumu has only their own: everyone's Bags 3, Shoes 3 -> Bags, their own -> Shoes
            [solo] = "Bags",              // Lamu has only their own: everyone's top
            [nowhereBags] = "Shoes",      // no location: everyone's, not their own
            [nowhereNone] = "Bags",
        };
        foreach (var (customer, product) in expected)
        {
            Assert.Equal($"Try {product}!", await PreviewAsync(api, campaign, customer));
        }

        (await api.PostJsonAsync($"/campaigns/{campaign}/send", new { customer_ids = expected.Keys.ToArray() }, Ct)).Expect(HttpStatusCode.Accepted);
        var messages = (await api.GetJsonAsync($"/campaigns/{campaign}/messages?page_size=100", Ct)).Expect(HttpStatusCode.OK).Json["data"]!.AsArray();
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => (e.Key, $"Try {e.Value}!")),
            messages.Select(m => (m!["customer_id"]!.GetValue<long>(), m["rendered_content"]!.GetValue<string>())).OrderBy(m => m.Item1));
    }

    private static async Task<long> CustomerAsync(HttpClient api, string location, string product) =>
        (await api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), first_name = "R", location, preferred_product = product }, Ct)).Id();

    private static async Task<string> PreviewAsync(HttpClient api, long campaign, long customer) =>
        (await api.PostJsonAsync($"/campaigns/{campaign}/personalized-preview", new { customer_id = customer }, Ct))
        .Expect(HttpStatusCode.OK).Json["rendered_message"]!.GetValue<string>();
}

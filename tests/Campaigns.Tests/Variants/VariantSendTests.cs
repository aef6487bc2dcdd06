using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Core.Content;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Variants;

/// <summary>
/// Variants through the graph: validation, each recipient's variant and text as the send writes them, exact counters per
/// variant once delivered, and preview per variant.
/// </summary>
public sealed class VariantSendTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object[] ThreeVariants =
    [
        new { key = "a", template = "A {first_name}", weight = 1 },
        new { key = "b_2", template = "B {first_name}", weight = 1 },
        new { key = "C-3", template = "C {first_name}", weight = 2 },
    ];

    public static TheoryData<string, string> Invalid => new()
    {
        { """{"variants":[{"key":"a","template":"A","weight":1}]}""", "variants" },
        { """{"variants":[{"key":"a","template":"A","weight":1},{"key":"a","template":"B","weight":1}]}""", "variants[1].key" },
        { """{"variants":[{"key":"a b","template":"A","weight":1},{"key":"b","template":"B","weight":1}]}""", "variants[0].key" },
        { """{"variants":[{"key":"abcdefghijklmnopqrstu","template":"A","weight":1},{"key":"b","template":"B","weight":1}]}""", "variants[0].key" },
        { """{"variants":[{"key":"a","template":"A","weight":0},{"key":"b","template":"B","weight":1}]}""", "variants[0].weight" },
        { """{"variants":[{"key":"a","template":"A {nope}","weight":1},{"key":"b","template":"B","weight":1}]}""", "variants[0].template" },
        { """{"variants":[{"key":"a","template":"A","weight":1,"translations":{"EN":"x"}},{"key":"b","template":"B","weight":1}]}""", "variants[0].translations" },
        { """{"ab_test":{"sample_percent":10,"metric":"clicked","decide_after":"PT1H"}}""", "ab_test" },
        { """{"variants":[{"key":"a","template":"A","weight":1},{"key":"b","template":"B","weight":1}],"ab_test":{"sample_percent":51,"metric":"clicked","decide_after":"PT1H"}}""", "ab_test.sample_percent" },
        { """{"variants":[{"key":"a","template":"A","weight":1},{"key":"b","template":"B","weight":1}],"ab_test":{"sample_percent":10,"metric":"opened","decide_after":"PT1H"}}""", "ab_test.metric" },
        { """{"variants":[{"key":"a","template":"A","weight":1},{"key":"b","template":"B","weight":1}],"ab_test":{"sample_percent":10,"metric":"delivered","decide_after":"PT0S"}}""", "ab_test.decide_after" },
        { """{"variants":[{"key":"a","template":"A","weight":1},{"key":"b","template":"B","weight":1}],"ab_test":{"sample_percent":10,"metric":"delivered","decide_after":"2 hours"}}""", "ab_test.decide_after" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_variants_and_ab_tests_are_refused_naming_the_field(string fields, string field)
    {
        var body = JsonNode.Parse(fields)!.AsObject();
        body["name"] = Unique.Name("bad-variants");
        body["channel"] = "sms";
        body["base_template"] = "Hi {first_name}";

        var problem = (await _api.PostJsonAsync("/campaigns", body.ToJsonString(), Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR").Json;

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Variants_and_ab_test_are_stored_answered_and_changed_by_patch()
    {
        var created = await _api.CreateWithVariantsAsync(Ct, ThreeVariants,
            new { sample_percent = 10, metric = "clicked", decide_after = "PT120M" });
        var id = created["id"]!.GetValue<long>();

        Assert.Equal(["a", "b_2", "C-3"], created["variants"]!.AsArray().Select(v => v!["key"]!.GetValue<string>()));
        Assert.Equal("PT2H", created["ab_test"]!["decide_after"]!.GetValue<string>());
        Assert.Null(created["winner"]);
        var patched = (await _api.PatchJsonAsync($"/campaigns/{id}", new { ab_test = (object?)null }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Null(patched["ab_test"]);
        Assert.Equal(3, patched["variants"]!.AsArray().Count);
        (await _api.PatchJsonAsync($"/campaigns/{id}", new { ab_test = new { sample_percent = 10, metric = "clicked", decide_after = "PT1H" },
            variants = (object?)null }, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var cleared = (await _api.PatchJsonAsync($"/campaigns/{id}", new { variants = (object?)null }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Null(cleared["variants"]);
        Assert.False((await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json["stats"]!.AsObject().ContainsKey("variants"));
    }

    [Fact]
    public async Task Each_recipient_gets_the_variant_of_its_stable_hash_and_its_text_and_counters_per_variant_are_exact()
    {
        var campaign = await _api.CreateWithVariantsAsync(Ct, ThreeVariants);
        var campaignId = campaign["id"]!.GetValue<long>();
        var variants = VariantCalls.VariantsOf(campaign);
        var customers = await fixture.Database.TestCustomersAsync(60, Ct);

        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = customers }, Ct)).Expect(HttpStatusCode.Accepted);
        // Finished: nothing pending or sending (the graph's mock provider fails a few attempts at random; retries follow).
        var done = await _api.WaitForCampaignAsync(campaignId, c => c["status"]!.GetValue<string>() is "sent" or "failed", TimeSpan.FromSeconds(60), Ct);

        var expected = customers.ToDictionary(c => c, c => VariantAssignment.Pick(campaignId, c, variants));
        var messages = await _api.MessagesAsync(campaignId, Ct);
        Assert.Equal(60, messages.Count);
        foreach (var message in messages)
        {
            var variant = expected[message["customer_id"]!.GetValue<long>()];
            Assert.Equal(variant, message["variant"]!.GetValue<string>());
            Assert.Equal(variant[..1].ToUpperInvariant() + " Test", message["rendered_content"]!.GetValue<string>());
        }
        Assert.True(expected.Values.Distinct().Count() == 3, "60 recipients over weights 1:1:2 reach every variant");
        var stats = done["stats"]!["variants"]!.AsObject();
        Assert.Equal(["C-3", "a", "b_2"], stats.Select(s => s.Key).Order(StringComparer.Ordinal));
        foreach (var variant in variants)
        {
            var mine = messages.Where(m => m["variant"]!.GetValue<string>() == variant.Key).ToList();
            var counters = stats[variant.Key]!;
            Assert.Equal(expected.Values.Count(v => v == variant.Key), counters["total"]!.GetValue<int>());
            foreach (var status in new[] { "pending", "sending", "sent", "delivered", "undelivered", "failed", "cancelled", "expired" })
            {
                Assert.Equal(mine.Count(m => m["status"]!.GetValue<string>() == status), counters[status]!.GetValue<int>());
            }
            Assert.Equal(0, counters["read"]!.GetValue<int>());
            Assert.Equal(0, counters["clicked"]!.GetValue<int>());
        }
        Assert.Equal(60, stats.Sum(s => s.Value!["total"]!.GetValue<int>()));
        Assert.Equal(done["stats"]!["sent"]!.GetValue<int>(), stats.Sum(s => s.Value!["sent"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Preview_renders_the_variant_asked_for_else_the_customers_own_and_refuses_an_unknown_one()
    {
        var campaign = await _api.CreateWithVariantsAsync(Ct, ThreeVariants);
        var campaignId = campaign["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Amina");
        var own = VariantAssignment.Pick(campaignId, customer, VariantCalls.VariantsOf(campaign));

        var asked = (await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { customer_id = customer, variant = "b_2" }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        var mine = (await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { customer_id = customer }, Ct))
            .Expect(HttpStatusCode.OK).Json;

        Assert.Equal("B Amina", asked["rendered_message"]!.GetValue<string>());
        Assert.Equal("B {first_name}", asked["used_template"]!.GetValue<string>());
        Assert.Equal("b_2", asked["variant"]!.GetValue<string>());
        Assert.Equal(own, mine["variant"]!.GetValue<string>());
        Assert.Equal(own[..1].ToUpperInvariant() + " Amina", mine["rendered_message"]!.GetValue<string>());
        var unknown = (await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { customer_id = customer, variant = "z" }, Ct))
            .Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR").Json;
        Assert.NotNull(unknown["errors"]!["variant"]);
        var plain = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        (await _api.PostJsonAsync($"/campaigns/{plain}/personalized-preview", new { customer_id = customer, variant = "a" }, Ct))
            .Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var withoutVariants = (await _api.PostJsonAsync($"/campaigns/{plain}/personalized-preview", new { customer_id = customer }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        Assert.False(withoutVariants.AsObject().ContainsKey("variant"));
    }
}

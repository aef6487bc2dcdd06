using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Personalization;

/// <summary>
/// api.md Part 2, "Personalization", at the API with a model configured: the campaign's <c>personalization</c> is
/// validated, stored, answered and changed by PATCH, and the preview shows the model's text for the chosen customer.
/// </summary>
public sealed class PersonalizationApiTests(AppFixture fixture)
{
    private const string Template = "Hi {first_name}! Shoes are 20% off today. " + PersonalizedCampaigns.OptOutSentence;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_campaign_answers_its_personalization_and_PATCH_changes_or_removes_it()
    {
        using var api = fixture.CreateApiClient();
        var created = (await api.PostJsonAsync("/campaigns",
            PersonalizationBody(new JsonObject { ["mode"] = "ai", ["instructions"] = "Be brief", ["max_length"] = 120 }).ToJsonString(), Ct))
            .Expect(HttpStatusCode.Created).Json;
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["mode"] = "ai", ["instructions"] = "Be brief", ["max_length"] = 120 },
            created["personalization"]));
        var id = created["id"]!.GetValue<long>();

        var changed = (await api.PatchJsonAsync($"/campaigns/{id}",
            new { personalization = new { mode = "ai", instructions = "Be playful" } }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["mode"] = "ai", ["instructions"] = "Be playful", ["max_length"] = null },
            changed["personalization"]));
        var renamed = (await api.PatchJsonAsync($"/campaigns/{id}", new { name = Unique.Name("renamed") }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Be playful", renamed["personalization"]!["instructions"]!.GetValue<string>());

        var removed = (await api.PatchJsonAsync($"/campaigns/{id}", new JsonObject { ["personalization"] = null }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Null(removed["personalization"]);
        Assert.Null((await api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json["personalization"]);
    }

    public static TheoryData<string, string> BadPersonalizations => new()
    {
        { """{"mode":"rewrite","instructions":"Be brief"}""", "personalization.mode" },
        { """{"instructions":"Be brief"}""", "personalization.mode" },
        { """{"mode":"ai"}""", "personalization.instructions" },
        { """{"mode":"ai","instructions":"   "}""", "personalization.instructions" },
        { $$"""{"mode":"ai","instructions":"{{new string('x', 1_001)}}"}""", "personalization.instructions" },
        { """{"mode":"ai","instructions":"Be brief","max_length":0}""", "personalization.max_length" },
        { """{"mode":"ai","instructions":"Be brief","max_length":1601}""", "personalization.max_length" },
    };

    [Theory]
    [MemberData(nameof(BadPersonalizations))]
    public async Task A_bad_personalization_is_a_validation_error_naming_its_field(string personalization, string field)
    {
        using var api = fixture.CreateApiClient();

        var created = (await api.PostJsonAsync("/campaigns", PersonalizationBody(JsonNode.Parse(personalization)!).ToJsonString(), Ct))
            .Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var id = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var patched = (await api.PatchJsonAsync($"/campaigns/{id}", new JsonObject { ["personalization"] = JsonNode.Parse(personalization) }, Ct))
            .Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.NotNull(created.Json["errors"]![field]);
        Assert.NotNull(patched.Json["errors"]![field]);
    }

    [Fact]
    public async Task Instructions_of_exactly_1000_code_points_and_a_whatsapp_max_length_of_4096_are_accepted()
    {
        using var api = fixture.CreateApiClient();
        var body = PersonalizationBody(new JsonObject { ["mode"] = "ai", ["instructions"] = string.Concat(Enumerable.Repeat("👋", 1_000)), ["max_length"] = 4_096 });
        body["channel"] = "whatsapp";

        (await api.PostJsonAsync("/campaigns", body.ToJsonString(), Ct)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_preview_of_a_personalized_campaign_shows_the_models_text_for_the_customer()
    {
        using var api = fixture.CreateApiClient();
        var good = await PersonalizedCampaigns.CreateAsync(api,
            PersonalizedCampaigns.Body("sms", Template, PersonalizedCampaigns.Instructions(FakeLanguageModel.Behaviour.Good)), Ct);
        var failing = await PersonalizedCampaigns.CreateAsync(api,
            PersonalizedCampaigns.Body("sms", Template, PersonalizedCampaigns.Instructions(FakeLanguageModel.Behaviour.Error)), Ct);
        var plainCampaign = (await api.CreateCampaignAsync(Ct, template: Template))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Muthoni");
        var plain = $"Hi Muthoni! Shoes are 20% off today. {PersonalizedCampaigns.OptOutSentence}";

        var ai = (await api.PostJsonAsync($"/campaigns/{good}/personalized-preview", new { customer_id = customer }, Ct)).Expect(HttpStatusCode.OK).Json;
        var fallback = (await api.PostJsonAsync($"/campaigns/{failing}/personalized-preview", new { customer_id = customer }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        var none = (await api.PostJsonAsync($"/campaigns/{plainCampaign}/personalized-preview", new { customer_id = customer }, Ct))
            .Expect(HttpStatusCode.OK).Json;

        var personal = FakeLanguageModel.GoodText(plain);
        Assert.Equal((personal, "ai"), (ai["rendered_message"]!.GetValue<string>(), ai["personalization"]!.GetValue<string>()));
        // The sms counts are those of the text shown.
        Assert.Equal(personal.Length, ai["sms"]!["characters"]!.GetValue<int>());
        Assert.Equal((plain, "fallback"), (fallback["rendered_message"]!.GetValue<string>(), fallback["personalization"]!.GetValue<string>()));
        Assert.Equal(plain, none["rendered_message"]!.GetValue<string>());
        Assert.Null(none["personalization"]);
    }

    private static JsonObject PersonalizationBody(JsonNode personalization) => new()
    {
        ["name"] = Unique.Name("personalized"),
        ["channel"] = "sms",
        ["base_template"] = Template,
        ["personalization"] = personalization,
    };
}

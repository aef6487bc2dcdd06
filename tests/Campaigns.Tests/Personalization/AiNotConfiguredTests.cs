using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Personalization;

/// <summary>
/// api.md Part 2, "Personalization": without a configured model, creating or updating a personalized campaign is
/// 400 <c>AI_NOT_CONFIGURED</c>. The real API runs in process without <c>ConnectionStrings:ai</c>, on the shared
/// database (its jobs, if any, go to a Redis database of their own).
/// </summary>
public sealed class AiNotConfiguredTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_or_updating_a_personalized_campaign_without_a_model_is_AI_NOT_CONFIGURED()
    {
        await using var factory = await InProcessApi.WithoutModelAsync(fixture, Ct);
        using var api = factory.CreateAuthenticatedClient();
        var personalization = new JsonObject { ["mode"] = "ai", ["instructions"] = "Be warm" };

        var created = await api.PostJsonAsync("/campaigns", new JsonObject
        {
            ["name"] = Unique.Name("no-model"),
            ["channel"] = "sms",
            ["base_template"] = "Hi {first_name}!",
            ["personalization"] = personalization.DeepClone(),
        }.ToJsonString(), Ct);
        created.Expect(HttpStatusCode.BadRequest, "AI_NOT_CONFIGURED");

        var plain = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        (await api.PatchJsonAsync($"/campaigns/{plain}", new JsonObject { ["personalization"] = personalization.DeepClone() }, Ct))
            .Expect(HttpStatusCode.BadRequest, "AI_NOT_CONFIGURED");
        // Nothing was stored, and a campaign without personalization is still changed as usual.
        Assert.Null((await api.GetJsonAsync($"/campaigns/{plain}", Ct)).Expect(HttpStatusCode.OK).Json["personalization"]);
        (await api.PatchJsonAsync($"/campaigns/{plain}", new { name = Unique.Name("renamed") }, Ct)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_personalized_campaign_made_while_a_model_was_configured_cannot_be_updated_without_one()
    {
        using var withModel = fixture.CreateApiClient();
        var id = await PersonalizedCampaigns.CreateAsync(withModel,
            PersonalizedCampaigns.Body("sms", "Hi {first_name}!", PersonalizedCampaigns.Instructions(FakeLanguageModel.Behaviour.Good)), Ct);
        await using var factory = await InProcessApi.WithoutModelAsync(fixture, Ct);
        using var api = factory.CreateAuthenticatedClient();

        (await api.PatchJsonAsync($"/campaigns/{id}", new { name = Unique.Name("renamed") }, Ct)).Expect(HttpStatusCode.BadRequest, "AI_NOT_CONFIGURED");
        // Removing the personalization needs no model.
        var removed = (await api.PatchJsonAsync($"/campaigns/{id}", new JsonObject { ["personalization"] = null }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Null(removed["personalization"]);
    }
}

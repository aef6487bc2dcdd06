using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.AutoTranslate;

/// <summary>
/// api.md Part 2, "Personalization": without a configured model, a create or update that leaves <c>auto_translate</c> on
/// is 400 <c>AI_NOT_CONFIGURED</c>. The real API runs in process without <c>ConnectionStrings:ai</c>, on the shared database.
/// </summary>
public sealed class AutoTranslateWithoutModelTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Auto_translate_without_a_model_is_AI_NOT_CONFIGURED()
    {
        await using var factory = await InProcessApi.WithoutModelAsync(fixture, Ct);
        using var api = factory.CreateAuthenticatedClient();
        JsonObject Body(bool autoTranslate) => new()
        {
            ["name"] = Unique.Name("no-model"), ["channel"] = "sms", ["base_template"] = "Hi {first_name}!", ["auto_translate"] = autoTranslate,
        };

        var refused = (await api.PostJsonAsync("/campaigns", Body(true).ToJsonString(), Ct)).Expect(HttpStatusCode.BadRequest, "AI_NOT_CONFIGURED");
        Assert.Equal("auto_translate needs a language model, and none is configured (ConnectionStrings:ai)",
            refused.Json["error"]!["message"]!.GetValue<string>());
        var plain = (await api.PostJsonAsync("/campaigns", Body(false).ToJsonString(), Ct)).Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();
        (await api.PatchJsonAsync($"/campaigns/{plain}", new { auto_translate = true }, Ct)).Expect(HttpStatusCode.BadRequest, "AI_NOT_CONFIGURED");
        // Nothing was stored; turning it off needs no model.
        Assert.False((await api.GetJsonAsync($"/campaigns/{plain}", Ct)).Expect(HttpStatusCode.OK).Json["auto_translate"]!.GetValue<bool>());
        (await api.PatchJsonAsync($"/campaigns/{plain}", new { auto_translate = false }, Ct)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_auto_translate_campaign_made_while_a_model_was_configured_cannot_be_updated_without_one_unless_turned_off()
    {
        using var withModel = fixture.CreateApiClient();
        var id = (await withModel.PostJsonAsync("/campaigns", new JsonObject
        {
            ["name"] = Unique.Name("auto"), ["channel"] = "sms", ["base_template"] = "Hi {first_name}!", ["auto_translate"] = true,
        }.ToJsonString(), Ct)).Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();
        await using var factory = await InProcessApi.WithoutModelAsync(fixture, Ct);
        using var api = factory.CreateAuthenticatedClient();

        (await api.PatchJsonAsync($"/campaigns/{id}", new { name = Unique.Name("renamed") }, Ct)).Expect(HttpStatusCode.BadRequest, "AI_NOT_CONFIGURED");
        var off = (await api.PatchJsonAsync($"/campaigns/{id}", new { auto_translate = false }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.False(off["auto_translate"]!.GetValue<bool>());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.CampaignEndpoints;

public sealed class PreviewTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_sms_preview_renders_for_the_customer_with_encoding_and_segments()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct, template: "Hi {first_name}, {{deal}} in {location}{last_name}"))["id"]!.GetValue<long>();
        var customerId = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Wanjiru", location: "Kisumu");

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { customer_id = customerId }, Ct);

        response.Expect(HttpStatusCode.OK);
        var expected = new JsonObject
        {
            ["rendered_message"] = "Hi Wanjiru, {deal} in Kisumu",
            ["used_template"] = "Hi {first_name}, {{deal}} in {location}{last_name}",
            ["customer"] = new JsonObject { ["id"] = customerId, ["first_name"] = "Wanjiru" },
            // { and } are GSM-7 extension characters: two units each.
            ["sms"] = new JsonObject { ["encoding"] = "GSM-7", ["characters"] = 30, ["segments"] = 1 },
            // No translations: base_template, in the campaign's default_language.
            ["language"] = "en",
        };
        Assert.Equal(expected.ToJsonString(), response.Json.ToJsonString());
    }

    [Fact]
    public async Task An_override_template_is_previewed_and_unicode_switches_to_ucs2()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customerId = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Zawadi");
        var template = "Habari {first_name} 🎉 " + new string('x', 60);

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview",
            new { customer_id = customerId, override_template = template }, Ct);

        response.Expect(HttpStatusCode.OK);
        Assert.Equal(template, response.Json["used_template"]!.GetValue<string>());
        var sms = response.Json["sms"]!;
        Assert.Equal("UCS-2", sms["encoding"]!.GetValue<string>());
        Assert.Equal(7 + 6 + 1 + 2 + 1 + 60, sms["characters"]!.GetValue<int>());
        Assert.Equal(2, sms["segments"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_whatsapp_preview_has_no_sms_block()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct, channel: "whatsapp"))["id"]!.GetValue<long>();
        var customerId = await fixture.Database.InsertCustomerAsync(Ct);

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { customer_id = customerId }, Ct);

        response.Expect(HttpStatusCode.OK);
        Assert.True(response.Json.AsObject().ContainsKey("sms"));
        Assert.Null(response.Json["sms"]);
    }

    [Fact]
    public async Task Preview_errors_follow_the_contract()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customerId = await fixture.Database.InsertCustomerAsync(Ct);

        (await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { customer_id = customerId, override_template = "{coupon}" }, Ct))
            .Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { customer_id = customerId, override_template = new string('x', 1601) }, Ct))
            .Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { }, Ct))
            .Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { customer_id = "1" }, Ct))
            .Expect(HttpStatusCode.BadRequest, "INVALID_JSON");
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/personalized-preview", new { customer_id = 987654321 }, Ct))
            .Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
        (await _api.PostJsonAsync("/campaigns/987654321/personalized-preview", new { customer_id = customerId }, Ct))
            .Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
    }
}

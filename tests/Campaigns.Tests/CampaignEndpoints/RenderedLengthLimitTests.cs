using System.Net;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Campaigns.Tests.CampaignEndpoints;

/// <summary>
/// A template whose longest possible rendering is over its channel's limit (sms: Templates:MaxSmsSegments,
/// whatsapp: 4,096 characters) is refused at create, update, preview and send, naming base_template.
/// </summary>
public sealed class RenderedLengthLimitTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The example: 1,596 characters that render 84 products of up to 200 characters each.
    private static readonly string EightyFourProducts = string.Concat(Enumerable.Repeat("{preferred_product}", 84));

    [Theory]
    [InlineData("sms", "502 SMS segments", "the limit is 10 segments")]
    [InlineData("whatsapp", "16,800 characters", "the limit is 4,096 characters")]
    public async Task Create_refuses_a_template_that_can_render_past_the_limit(string channel, string worstCase, string limit)
    {
        var response = await _api.PostJsonAsync("/campaigns",
            new { name = Unique.Name("long"), channel, base_template = EightyFourProducts }, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var message = response.Json["errors"]!["base_template"]![0]!.GetValue<string>();
        Assert.Contains(worstCase, message);
        Assert.Contains(limit, message);
        Assert.Contains("{preferred_product} 200 characters", message);
    }

    [Fact]
    public async Task Patch_refuses_a_template_or_a_channel_change_that_renders_past_the_limit()
    {
        // Three products: 600 characters fit whatsapp; as sms, 1,202 UCS-2 units are 18 segments.
        var threeProducts = "{preferred_product} {preferred_product} {preferred_product}";
        var id = (await _api.CreateCampaignAsync(Ct, channel: "whatsapp", template: threeProducts))["id"]!.GetValue<long>();

        var toSms = await _api.PatchJsonAsync($"/campaigns/{id}", new { channel = "sms" }, Ct);
        var longer = await _api.PatchJsonAsync($"/campaigns/{id}", new { base_template = EightyFourProducts }, Ct);

        toSms.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("18 SMS segments", toSms.Json["errors"]!["base_template"]![0]!.GetValue<string>());
        longer.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("16,800 characters", longer.Json["errors"]!["base_template"]![0]!.GetValue<string>());
        var unchanged = (await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("whatsapp", unchanged["channel"]!.GetValue<string>());
        Assert.Equal(threeProducts, unchanged["base_template"]!.GetValue<string>());
    }

    [Fact]
    public async Task Preview_refuses_an_override_that_renders_past_the_campaigns_limit()
    {
        var id = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);

        var response = await _api.PostJsonAsync($"/campaigns/{id}/personalized-preview",
            new { customer_id = customer, override_template = EightyFourProducts }, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("the limit is 10 segments", response.Json["errors"]!["override_template"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_template_stored_before_the_limit_is_refused_at_send_and_nothing_is_written()
    {
        var id = await fixture.Database.ScalarAsync<long>(
            "INSERT INTO campaigns (name, channel, base_template) VALUES (@name, 'sms', @template) RETURNING id",
            new { name = Unique.Name("pre-limit"), template = EightyFourProducts }, Ct);
        var customer = await fixture.Database.InsertCustomerAsync(Ct);

        var response = await _api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = new[] { customer } }, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("502 SMS segments", response.Json["errors"]!["base_template"]![0]!.GetValue<string>());
        await AssertUnsentAsync(id);
    }

    [Fact]
    public async Task The_sms_limit_is_configurable_and_a_lowered_limit_holds_at_send()
    {
        // "Hi " + 100 emoji + "!" is 204 UCS-2 units at worst: 4 segments, within the default of 10.
        var id = (await _api.CreateCampaignAsync(Ct, template: "Hi {first_name}!"))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using var factory = InProcessApi.Create(postgres, redis, web => web.UseSetting("Templates:MaxSmsSegments", "3"));
        using var lowered = factory.CreateAuthenticatedClient();

        var send = await lowered.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = new[] { customer } }, Ct);
        var create = await lowered.PostJsonAsync("/campaigns", new { name = Unique.Name("lowered"), channel = "sms", base_template = "Hi {first_name}!" }, Ct);

        send.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("4 SMS segments (204 UCS-2 units)", send.Json["errors"]!["base_template"]![0]!.GetValue<string>());
        Assert.Contains("the limit is 3 segments", send.Json["errors"]!["base_template"]![0]!.GetValue<string>());
        create.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AssertUnsentAsync(id);
    }

    private async Task AssertUnsentAsync(long campaignId)
    {
        var campaign = (await _api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("draft", campaign["status"]!.GetValue<string>());
        Assert.Equal(0, campaign["stats"]!["total"]!.GetValue<int>());
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, Ct));
        Assert.True(await fixture.Database.ScalarAsync<bool>(
            "SELECT audience_attached_at IS NULL FROM campaigns WHERE id = @campaignId", new { campaignId }, Ct));
    }
}

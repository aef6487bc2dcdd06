using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Campaigns.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Campaigns.Tests.Sending;

/// <summary>
/// Sending a WhatsApp campaign with a template: each message carries the template's parameters rendered for
/// its recipient (<c>template_parameters</c>), and without a template a campaign whose WhatsApp providers are
/// all <c>whatsapp-cloud</c> cannot be sent (api.md, "Providers and routing").
/// </summary>
public sealed class WhatsAppTemplateSendTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Campaign(string channel, JsonNode? template) => new()
    {
        ["name"] = Unique.Name("wa-send"),
        ["channel"] = channel,
        ["base_template"] = "Hi {first_name}, your order is ready at {location}",
        ["whatsapp_template"] = template,
    };

    private static JsonObject Template(params string[] parameters) => new()
    {
        ["name"] = "order_ready",
        ["language"] = "en",
        ["parameters"] = new JsonArray([.. parameters.Select(p => (JsonNode?)p)]),
    };

    private static async Task<long> CreateAsync(HttpClient api, JsonObject campaign) =>
        (await api.PostJsonAsync("/campaigns", campaign.ToJsonString(), Ct)).Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();

    private async Task<Dictionary<long, string[]?>> TemplateParametersAsync(long campaignId)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        var rows = await connection.QueryAsync<(long CustomerId, string[]? Parameters)>(new CommandDefinition(
            "SELECT customer_id, template_parameters FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId },
            cancellationToken: Ct));
        return rows.ToDictionary(r => r.CustomerId, r => r.Parameters);
    }

    /// <summary>The API in this process, configured with this WhatsApp chain (Providers:WhatsApp:Chain).</summary>
    private async Task<WebApplicationFactory<ApiAssembly>> ApiWithWhatsAppChainAsync(params string[] chain)
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        return InProcessApi.Create(postgres, redis, web =>
        {
            for (var i = 0; i < chain.Length; i++)
            {
                web.UseSetting($"Providers:WhatsApp:Chain:{i}", chain[i]);
            }
        });
    }

    private Task<string> PhoneAsync(long customerId) =>
        fixture.Database.ScalarAsync<string>("SELECT phone FROM customers WHERE id = @customerId", new { customerId }, Ct);

    [Fact]
    public async Task Each_message_gets_the_parameters_rendered_for_its_recipient()
    {
        var amina = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Amina", location: "Nairobi");
        var juma = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Juma 🌍", location: "");
        var campaignId = await CreateAsync(_api, Campaign("whatsapp", Template("{first_name}", "{location} store", "{{first_name}}", "{phone}")));

        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { amina, juma } }, Ct)).Expect(HttpStatusCode.Accepted);

        var parameters = await TemplateParametersAsync(campaignId);
        Assert.Equal(["Amina", "Nairobi store", "{first_name}", await PhoneAsync(amina)], parameters[amina]!);
        Assert.Equal(["Juma 🌍", " store", "{first_name}", await PhoneAsync(juma)], parameters[juma]!);
        // The content stays base_template's rendering.
        var content = await fixture.Database.ScalarAsync<string>(
            "SELECT rendered_content FROM outbound_messages WHERE campaign_id = @campaignId AND customer_id = @amina", new { campaignId, amina }, Ct);
        Assert.Equal("Hi Amina, your order is ready at Nairobi", content);
    }

    [Theory]
    [InlineData("sms")]
    [InlineData("whatsapp")]
    public async Task Messages_of_a_campaign_without_a_template_have_no_parameters(string channel)
    {
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var campaignId = await CreateAsync(_api, Campaign(channel, null));

        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct)).Expect(HttpStatusCode.Accepted);

        Assert.Null((await TemplateParametersAsync(campaignId))[customer]);
    }

    [Fact]
    public async Task Without_a_template_a_campaign_is_not_sendable_through_whatsapp_cloud_alone()
    {
        await using var cloudOnly = await ApiWithWhatsAppChainAsync("whatsapp-cloud");
        using var api = cloudOnly.CreateAuthenticatedClient();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var campaignId = await CreateAsync(api, Campaign("whatsapp", null));
        var smsId = await CreateAsync(api, Campaign("sms", null));

        var refused = await api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct);
        var draft = (await api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Expect(HttpStatusCode.OK).Json;
        (await api.PatchJsonAsync($"/campaigns/{campaignId}", new JsonObject { ["whatsapp_template"] = Template("{first_name}") }.ToJsonString(), Ct))
            .Expect(HttpStatusCode.OK);
        var sent = await api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct);
        var sms = await api.PostJsonAsync($"/campaigns/{smsId}/send", new { customer_ids = new[] { customer } }, Ct);

        var message = refused.Expect(HttpStatusCode.Conflict, "CAMPAIGN_NOT_SENDABLE").Json["error"]!["message"]!.GetValue<string>();
        Assert.Contains("whatsapp_template", message);
        Assert.Contains("whatsapp-cloud", message);
        // Refused before anything was written: still a draft with no messages, and sendable once it has a template.
        Assert.Equal("draft", draft["status"]!.GetValue<string>());
        Assert.Equal(0, draft["stats"]!["total"]!.GetValue<int>());
        sent.Expect(HttpStatusCode.Accepted);
        sms.Expect(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Without_a_template_a_campaign_is_sendable_when_another_provider_can_take_it()
    {
        await using var withFallback = await ApiWithWhatsAppChainAsync("whatsapp-cloud", "twilio");
        using var api = withFallback.CreateAuthenticatedClient();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var campaignId = await CreateAsync(api, Campaign("whatsapp", null));

        (await api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct)).Expect(HttpStatusCode.Accepted);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.CampaignEndpoints;

/// <summary>
/// <c>whatsapp_template</c> on WhatsApp campaigns (api.md, "Providers and routing"): validated like a template,
/// stored as sent, changed or removed by PATCH, refused on SMS campaigns.
/// </summary>
public sealed class WhatsAppTemplateTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Template(string name = "order_ready", string language = "en_US", params string[] parameters) => new()
    {
        ["name"] = name,
        ["language"] = language,
        ["parameters"] = new JsonArray([.. parameters.Select(p => (JsonNode?)p)]),
    };

    private static JsonObject Campaign(JsonNode? template, string channel = "whatsapp") => new()
    {
        ["name"] = Unique.Name("wa-template"),
        ["channel"] = channel,
        ["base_template"] = "Hi {first_name}, your order is ready",
        ["whatsapp_template"] = template,
    };

    [Fact]
    public async Task A_whatsapp_campaign_keeps_its_template_as_sent()
    {
        var template = Template("order_ready", "sw", "{first_name}", "{location} 🛍️", "{{first_name}}");

        var created = (await _api.PostJsonAsync("/campaigns", Campaign(template).ToJsonString(), Ct)).Expect(HttpStatusCode.Created).Json;
        var id = created["id"]!.GetValue<long>();
        var fetched = (await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        var stored = await fixture.Database.ScalarAsync<string>("SELECT whatsapp_template::text FROM campaigns WHERE id = @id", new { id }, Ct);

        Assert.Equal(template.ToJsonString(), created["whatsapp_template"]!.ToJsonString());
        Assert.Equal(created.CampaignJson(), fetched.ToJsonString());
        Assert.True(JsonNode.DeepEquals(template, JsonNode.Parse(stored)), stored);
    }

    [Fact]
    public async Task A_template_without_parameters_is_a_template()
    {
        var created = (await _api.PostJsonAsync("/campaigns", Campaign(Template("hello_world")).ToJsonString(), Ct)).Expect(HttpStatusCode.Created).Json;

        Assert.Empty(created["whatsapp_template"]!["parameters"]!.AsArray());
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { """{"name":"order_ready","language":"en","parameters":[]}""", "channel:sms" },
        { """{"name":"  ","language":"en","parameters":[]}""", "whatsapp_template.name" },
        { $$"""{"name":"{{new string('n', 513)}}","language":"en","parameters":[]}""", "whatsapp_template.name" },
        { """{"language":"en","parameters":[]}""", "whatsapp_template.name" },
        { """{"name":"order_ready","parameters":[]}""", "whatsapp_template.language" },
        { """{"name":"order_ready","language":"en_US_and_then_some_more","parameters":[]}""", "whatsapp_template.language" },
        { """{"name":"order_ready","language":"en"}""", "whatsapp_template.parameters" },
        { """{"name":"order_ready","language":"en","parameters":["{first_name}","{coupon}"]}""", "whatsapp_template.parameters[1]" },
        { """{"name":"order_ready","language":"en","parameters":[""]}""", "whatsapp_template.parameters[0]" },
        { """{"name":"order_ready","language":"en","parameters":[null]}""", "whatsapp_template.parameters[0]" },
        { $$"""{"name":"order_ready","language":"en","parameters":[{{string.Join(",", Enumerable.Repeat("\"{first_name}\"", 101))}}]}""", "whatsapp_template.parameters" },
        { $$"""{"name":"order_ready","language":"en","parameters":["{{new string('x', 4_097)}}"]}""", "whatsapp_template.parameters[0]" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_template_is_refused_naming_the_field(string template, string field)
    {
        var channel = field.StartsWith("channel:", StringComparison.Ordinal) ? field["channel:".Length..] : "whatsapp";
        var body = Campaign(JsonNode.Parse(template), channel);

        var refused = (await _api.PostJsonAsync("/campaigns", body.ToJsonString(), Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var errors = refused.Json["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(channel == "whatsapp" ? field : "whatsapp_template"), refused.Text);
    }

    [Theory]
    [InlineData("""{"name":"order_ready","language":"en","parameters":[1]}""")]
    [InlineData("""{"name":"order_ready","language":"en","parameters":"{first_name}"}""")]
    [InlineData("\"order_ready\"")]
    public async Task A_template_of_the_wrong_shape_is_invalid_json(string template)
    {
        var body = $$"""{"name":"wa","channel":"whatsapp","base_template":"Hi","whatsapp_template":{{template}}}""";

        (await _api.PostJsonAsync("/campaigns", body, Ct)).Expect(HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    [Fact]
    public async Task Patch_sets_keeps_and_removes_the_template()
    {
        var id = (await _api.CreateCampaignAsync(Ct, channel: "whatsapp"))["id"]!.GetValue<long>();
        var template = Template("order_ready", "en", "{first_name}");

        var set = (await _api.PatchJsonAsync($"/campaigns/{id}", new JsonObject { ["whatsapp_template"] = template }.ToJsonString(), Ct))
            .Expect(HttpStatusCode.OK).Json;
        var renamed = (await _api.PatchJsonAsync($"/campaigns/{id}", new { name = "renamed" }, Ct)).Expect(HttpStatusCode.OK).Json;
        var toSms = await _api.PatchJsonAsync($"/campaigns/{id}", new { channel = "sms" }, Ct);
        var removed = (await _api.PatchJsonAsync($"/campaigns/{id}", """{"whatsapp_template":null}""", Ct)).Expect(HttpStatusCode.OK).Json;
        var sms = (await _api.PatchJsonAsync($"/campaigns/{id}", new { channel = "sms" }, Ct)).Expect(HttpStatusCode.OK).Json;
        var onSms = await _api.PatchJsonAsync($"/campaigns/{id}", new JsonObject { ["whatsapp_template"] = Template() }.ToJsonString(), Ct);
        var backWithOne = (await _api.PatchJsonAsync($"/campaigns/{id}",
            new JsonObject { ["channel"] = "whatsapp", ["whatsapp_template"] = Template() }.ToJsonString(), Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(template.ToJsonString(), set["whatsapp_template"]!.ToJsonString());
        Assert.Equal(template.ToJsonString(), renamed["whatsapp_template"]!.ToJsonString());
        // A campaign with a template stays whatsapp until the template is removed.
        Assert.True(toSms.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR").Json["errors"]!.AsObject().ContainsKey("channel"), toSms.Text);
        Assert.Null(removed["whatsapp_template"]);
        Assert.Equal("sms", sms["channel"]!.GetValue<string>());
        Assert.True(onSms.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR").Json["errors"]!.AsObject().ContainsKey("whatsapp_template"), onSms.Text);
        Assert.Equal(Template().ToJsonString(), backWithOne["whatsapp_template"]!.ToJsonString());
    }

    [Fact]
    public async Task Patch_validates_the_template_like_create()
    {
        var id = (await _api.CreateCampaignAsync(Ct, channel: "whatsapp"))["id"]!.GetValue<long>();

        var refused = await _api.PatchJsonAsync($"/campaigns/{id}",
            new JsonObject { ["whatsapp_template"] = Template("order_ready", "en", "{First_Name}") }.ToJsonString(), Ct);

        var message = refused.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR").Json["errors"]!["whatsapp_template.parameters[0]"]![0]!.GetValue<string>();
        Assert.Contains("{First_Name}", message);
        Assert.Null((await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Json["whatsapp_template"]);
    }
}

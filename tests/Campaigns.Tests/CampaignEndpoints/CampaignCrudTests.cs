using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.CampaignEndpoints;

public sealed class CampaignCrudTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_answers_201_with_location_and_the_stored_campaign()
    {
        var name = "  Spring sale – 20% off 🌸 ";
        var response = await _api.PostJsonAsync("/campaigns",
            new { name, channel = "whatsapp", base_template = "Hi {first_name}, {{promo}} 🎉" }, Ct);

        response.Expect(HttpStatusCode.Created);
        var campaign = response.Json;
        var id = campaign["id"]!.GetValue<long>();
        Assert.Equal($"/campaigns/{id}", response.Location?.OriginalString);
        Assert.Equal(name, campaign["name"]!.GetValue<string>());
        Assert.Equal("whatsapp", campaign["channel"]!.GetValue<string>());
        Assert.Equal("draft", campaign["status"]!.GetValue<string>());
        Assert.Equal("Hi {first_name}, {{promo}} 🎉", campaign["base_template"]!.GetValue<string>());
        Assert.Null(campaign["scheduled_at"]);
        Assert.EndsWith("Z", campaign["created_at"]!.GetValue<string>());
        Assert.Null(campaign["whatsapp_template"]);
        // Timing (api.md, "Timing"): no window unless given; whatsapp's default validity; no deadline before dispatch.
        Assert.Null(campaign["send_window"]);
        Assert.Equal("P1D", campaign["validity"]!.GetValue<string>());
        Assert.Null(campaign["valid_until"]);
        Assert.Equal(new JsonObject
        {
            ["total"] = 0, ["pending"] = 0, ["sending"] = 0, ["sent"] = 0, ["delivered"] = 0, ["undelivered"] = 0, ["failed"] = 0,
            ["cancelled"] = 0, ["expired"] = 0, ["read"] = 0, ["clicked"] = 0, ["waiting"] = 0,
        }.ToJsonString(), campaign["stats"]!.ToJsonString());

        // Create answers the campaign and its warnings (none without translations); GET the campaign alone.
        Assert.Equal("[]", campaign["warnings"]!.ToJsonString());
        var fetched = (await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(campaign.CampaignJson(), fetched.ToJsonString());
    }

    [Fact]
    public async Task A_campaign_with_scheduled_at_is_scheduled()
    {
        var at = DateTimeOffset.UtcNow.AddDays(2);

        var campaign = await _api.CreateCampaignAsync(Ct, scheduledAt: at);

        Assert.Equal("scheduled", campaign["status"]!.GetValue<string>());
        var stored = DateTimeOffset.Parse(campaign["scheduled_at"]!.GetValue<string>());
        Assert.True((stored - at).Duration() < TimeSpan.FromMilliseconds(1));
    }

    [Theory]
    [InlineData("2099-06-01T12:30:00Z", "2099-06-01T12:30:00Z")]
    [InlineData("2099-06-01t12:30:00z", "2099-06-01T12:30:00Z")]
    [InlineData("2099-06-01T15:30:00.25+03:00", "2099-06-01T12:30:00.25Z")]
    [InlineData("2099-06-01T12:30:00.250000000Z", "2099-06-01T12:30:00.25Z")]
    public async Task Any_rfc_3339_timestamp_is_read_and_answered_in_utc(string sent, string answered)
    {
        var body = $$"""{"name":"rfc3339","channel":"sms","base_template":"Hi","scheduled_at":"{{sent}}"}""";

        var campaign = (await _api.PostJsonAsync("/campaigns", JsonNode.Parse(body), Ct)).Expect(HttpStatusCode.Created).Json;

        Assert.Equal(answered, campaign["scheduled_at"]!.GetValue<string>());
    }

    public static TheoryData<string, string> InvalidCreates => new()
    {
        { """{"channel":"sms","base_template":"Hi"}""", "name" },
        { """{"name":"   ","channel":"sms","base_template":"Hi"}""", "name" },
        { $$"""{"name":"{{new string('n', 201)}}","channel":"sms","base_template":"Hi"}""", "name" },
        { """{"name":"a\u0000b","channel":"sms","base_template":"Hi"}""", "name" },
        { """{"name":"x","channel":"fax","base_template":"Hi"}""", "channel" },
        { """{"name":"x","base_template":"Hi"}""", "channel" },
        { """{"name":"x","channel":"SMS","base_template":"Hi"}""", "channel" },
        { """{"name":"x","channel":"sms"}""", "base_template" },
        { """{"name":"x","channel":"sms","base_template":""}""", "base_template" },
        { $$"""{"name":"x","channel":"sms","base_template":"{{new string('t', 1601)}}"}""", "base_template" },
        { $$"""{"name":"x","channel":"whatsapp","base_template":"{{new string('t', 4097)}}"}""", "base_template" },
        { """{"name":"x","channel":"sms","base_template":"Hi","scheduled_at":"2020-01-01T00:00:00Z"}""", "scheduled_at" },
    };

    [Theory]
    [MemberData(nameof(InvalidCreates))]
    public async Task Create_rejects_each_broken_rule_naming_the_field(string body, string field)
    {
        var response = await _api.PostJsonAsync("/campaigns", body, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]![field]);
        Assert.Contains(field, response.Json["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lengths_count_code_points_not_utf16_units()
    {
        var name = string.Concat(Enumerable.Repeat("😀", 200));
        // whatsapp: an sms template of 1,600 emoji is itself 48 segments, over the rendered-length limit.
        var template = string.Concat(Enumerable.Repeat("😀", 4_096));

        var response = await _api.PostJsonAsync("/campaigns", new { name, channel = "whatsapp", base_template = template }, Ct);

        response.Expect(HttpStatusCode.Created);
        Assert.Equal(name, response.Json["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_or_miscased_placeholder_is_named_with_the_allowed_ones()
    {
        var response = await _api.PostJsonAsync("/campaigns",
            new { name = "x", channel = "sms", base_template = "Hi {First_Name}, use {coupon}" }, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var message = response.Json["errors"]!["base_template"]![0]!.GetValue<string>();
        Assert.Contains("First_Name", message);
        Assert.Contains("coupon", message);
        Assert.Contains("first_name", message);
        Assert.Contains("preferred_product", message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task A_path_id_that_is_not_a_positive_integer_is_a_validation_error(string id)
    {
        (await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PatchJsonAsync($"/campaigns/{id}", new { name = "x" }, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.DeleteJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.GetJsonAsync($"/campaigns/{id}/messages", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task An_unknown_campaign_is_404_with_its_id_in_the_message()
    {
        var response = await _api.GetJsonAsync("/campaigns/987654321", Ct);

        response.Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
        Assert.Equal("Campaign with ID 987654321 not found", response.Json["error"]!["message"]!.GetValue<string>());
        Assert.Equal("/problems/campaign-not-found", response.Json["type"]!.GetValue<string>());
        (await _api.PatchJsonAsync("/campaigns/987654321", new { name = "x" }, Ct)).Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
        (await _api.DeleteJsonAsync("/campaigns/987654321", Ct)).Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
    }

    [Fact]
    public async Task Patch_changes_only_the_members_present()
    {
        var created = await _api.CreateCampaignAsync(Ct, template: "Hello {location}");
        var id = created["id"]!.GetValue<long>();

        var patched = (await _api.PatchJsonAsync($"/campaigns/{id}", new { name = "renamed" }, Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal("renamed", patched["name"]!.GetValue<string>());
        Assert.Equal("Hello {location}", patched["base_template"]!.GetValue<string>());
        Assert.Equal("sms", patched["channel"]!.GetValue<string>());
        Assert.Equal("draft", patched["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patching_scheduled_at_moves_between_draft_and_scheduled()
    {
        var id = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        var scheduled = (await _api.PatchJsonAsync($"/campaigns/{id}",
            new { scheduled_at = DateTimeOffset.UtcNow.AddHours(3) }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("scheduled", scheduled["status"]!.GetValue<string>());

        var cleared = (await _api.PatchJsonAsync($"/campaigns/{id}", """{"scheduled_at":null}""", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("draft", cleared["status"]!.GetValue<string>());
        Assert.Null(cleared["scheduled_at"]);
    }

    [Fact]
    public async Task Patch_applies_the_template_limit_of_the_resulting_channel()
    {
        var id = (await _api.CreateCampaignAsync(Ct, channel: "whatsapp", template: new string('w', 3000)))["id"]!.GetValue<long>();

        var response = await _api.PatchJsonAsync($"/campaigns/{id}", new { channel = "sms" }, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]!["base_template"]);
    }

    [Theory]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"channel":"fax"}""", "channel")]
    [InlineData("""{"base_template":"{nope}"}""", "base_template")]
    [InlineData("""{"scheduled_at":"2001-01-01T00:00:00Z"}""", "scheduled_at")]
    public async Task Patch_validates_like_create(string body, string field)
    {
        var id = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        var response = await _api.PatchJsonAsync($"/campaigns/{id}", body, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]![field]);
    }

    [Fact]
    public async Task A_sent_campaign_can_no_longer_be_patched()
    {
        var id = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        await fixture.Database.ExecuteAsync(
            "UPDATE campaigns SET status = 'sent', audience_attached_at = now() WHERE id = @id", new { id }, Ct);

        var response = await _api.PatchJsonAsync($"/campaigns/{id}", new { name = "late" }, Ct);

        response.Expect(HttpStatusCode.Conflict, "CAMPAIGN_NOT_SENDABLE");
        Assert.Contains("sent", response.Json["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_removes_the_campaign_then_it_is_gone()
    {
        var id = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        var response = await _api.DeleteJsonAsync($"/campaigns/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        (await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
    }

    [Theory]
    [InlineData("sending")]
    [InlineData("paused")]
    public async Task A_campaign_being_sent_cannot_be_deleted(string status)
    {
        var id = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        // A pending message never due, counted as pending: the worker's completion sweep reads the counters, and would
        // finish a campaign that counts none under the test.
        var customer = (await fixture.Database.InsertCustomersAsync(1, Ct))[0];
        await fixture.Database.ExecuteAsync("""
            UPDATE campaigns SET status = @status, audience_attached_at = now(), total_count = 1, pending_count = 1 WHERE id = @id;
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, next_attempt_at) VALUES (@id, @customer, 'Hi', 'infinity');
            """, new { id, status, customer }, Ct);

        (await _api.DeleteJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.Conflict, "CAMPAIGN_NOT_SENDABLE");
        (await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK);
        (await _api.PostJsonAsync($"/campaigns/{id}/cancel", null, Ct)).Expect(HttpStatusCode.OK);
    }
}

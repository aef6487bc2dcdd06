using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Timing;

/// <summary>api.md Part 2, "Timing": the send window and validity a campaign takes, and what it refuses.</summary>
public sealed class TimingValidationTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ApiResponse> CreateAsync(object? sendWindow = null, string? validity = null, string channel = "sms") =>
        _api.PostJsonAsync("/campaigns", new { name = Unique.Name("timing"), channel, base_template = "Hi {first_name}", send_window = sendWindow, validity }, Ct);

    [Fact]
    public async Task A_window_and_validity_are_stored_and_answered_in_their_normal_form()
    {
        var created = (await CreateAsync(new { start = "08:00", end = "20:30", days = new[] { "fri", "mon", "wed" } }, "P1DT90M"))
            .Expect(HttpStatusCode.Created).Json;

        Assert.Equal("""{"start":"08:00","end":"20:30","days":["mon","wed","fri"]}""", created["send_window"]!.ToJsonString());
        Assert.Equal("P1DT1H30M", created["validity"]!.GetValue<string>());
        Assert.Null(created["valid_until"]);
        var fetched = (await _api.GetJsonAsync($"/campaigns/{created["id"]}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(created.CampaignJson(), fetched.ToJsonString());
    }

    [Fact]
    public async Task Without_days_the_window_opens_every_day_and_sms_has_no_default_validity()
    {
        var created = (await CreateAsync(new { start = "09:15", end = "17:45" })).Expect(HttpStatusCode.Created).Json;

        Assert.Equal("""{"start":"09:15","end":"17:45","days":null}""", created["send_window"]!.ToJsonString());
        Assert.Null(created["validity"]);
    }

    public static TheoryData<string, string> BadWindows => new()
    {
        { """{"start":"20:00","end":"08:00"}""", "send_window" },
        { """{"start":"08:00","end":"08:00"}""", "send_window" },
        { """{"start":"8:00","end":"20:00"}""", "send_window.start" },
        { """{"start":"08:00","end":"24:00"}""", "send_window.end" },
        { """{"start":"08:00:00","end":"20:00"}""", "send_window.start" },
        { """{"end":"20:00"}""", "start" },
        { """{"start":"08:00","end":"20:00","days":[]}""", "send_window.days" },
        { """{"start":"08:00","end":"20:00","days":["mon","funday"]}""", "send_window.days" },
        { """{"start":"08:00","end":"20:00","days":["mon","mon"]}""", "send_window.days" },
        { """{"start":"08:00","end":"20:00","days":["Mon"]}""", "send_window.days" },
    };

    [Theory]
    [MemberData(nameof(BadWindows))]
    public async Task A_bad_window_is_400_naming_the_field_and_creates_nothing(string window, string field)
    {
        var name = Unique.Name("bad-window");
        var response = await _api.PostJsonAsync("/campaigns",
            $$"""{"name":"{{name}}","channel":"sms","base_template":"Hi","send_window":{{window}}}""", Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains(response.Json["errors"]!.AsObject(), d => d.Key.EndsWith(field, StringComparison.Ordinal));
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM campaigns WHERE name = @name", new { name }, Ct));
    }

    [Theory]
    [InlineData("P1M")] // months have no fixed length
    [InlineData("P1Y")]
    [InlineData("PT0S")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("6 hours")]
    [InlineData("PT6h")]
    [InlineData("-PT6H")]
    [InlineData("P366D")]
    public async Task A_bad_validity_is_400(string validity)
    {
        var response = await CreateAsync(validity: validity);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]!["validity"]);
    }

    [Fact]
    public async Task Patch_sets_and_removes_the_window_and_the_validity()
    {
        var id = (await CreateAsync(channel: "whatsapp")).Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();

        var set = (await _api.PatchJsonAsync($"/campaigns/{id}",
            new { send_window = new { start = "10:00", end = "11:00", days = new[] { "sat" } }, validity = "PT6H" }, Ct)).Expect(HttpStatusCode.OK).Json;
        var renamed = (await _api.PatchJsonAsync($"/campaigns/{id}", new { name = "kept" }, Ct)).Expect(HttpStatusCode.OK).Json;
        var cleared = (await _api.PatchJsonAsync($"/campaigns/{id}", new { send_window = (object?)null, validity = (string?)null }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        var refused = await _api.PatchJsonAsync($"/campaigns/{id}", new { send_window = new { start = "11:00", end = "10:00" } }, Ct);

        Assert.Equal("""{"start":"10:00","end":"11:00","days":["sat"]}""", set["send_window"]!.ToJsonString());
        Assert.Equal("PT6H", set["validity"]!.GetValue<string>());
        Assert.Equal(set["send_window"]!.ToJsonString(), renamed["send_window"]!.ToJsonString());
        Assert.Equal("PT6H", renamed["validity"]!.GetValue<string>());
        Assert.Null(cleared["send_window"]);
        Assert.Equal("P1D", cleared["validity"]!.GetValue<string>()); // back to whatsapp's default
        refused.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}

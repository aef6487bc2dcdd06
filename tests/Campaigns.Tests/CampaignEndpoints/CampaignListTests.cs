using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.CampaignEndpoints;

public sealed class CampaignListTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Forty_five_campaigns_page_20_20_5_newest_first_with_no_repeats()
    {
        await using var isolated = await IsolatedApi.StartAsync(fixture, Ct);
        var created = new List<long>();
        for (var i = 0; i < 45; i++)
        {
            created.Add((await isolated.Client.CreateCampaignAsync(Ct, channel: i % 3 == 0 ? "whatsapp" : "sms"))["id"]!.GetValue<long>());
        }

        var seen = new List<long>();
        foreach (var (page, expected) in new[] { (1, 20), (2, 20), (3, 5) })
        {
            var body = (await isolated.Client.GetJsonAsync($"/campaigns?page={page}&page_size=20", Ct)).Expect(HttpStatusCode.OK).Json;
            var ids = body["data"]!.AsArray().Select(c => c!["id"]!.GetValue<long>()).ToList();
            Assert.Equal(expected, ids.Count);
            Assert.Equal(page, body["pagination"]!["page"]!.GetValue<int>());
            Assert.Equal(20, body["pagination"]!["page_size"]!.GetValue<int>());
            Assert.Equal(45, body["pagination"]!["total_count"]!.GetValue<long>());
            Assert.Equal(3, body["pagination"]!["total_pages"]!.GetValue<long>());
            Assert.NotNull(body["data"]![0]!["stats"]);
            seen.AddRange(ids);
        }
        Assert.Equal(created.OrderByDescending(id => id), seen);

        var past = (await isolated.Client.GetJsonAsync("/campaigns?page=4&page_size=20", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Empty(past["data"]!.AsArray());
        Assert.Equal(45, past["pagination"]!["total_count"]!.GetValue<long>());
        Assert.Null(past["pagination"]!["next_cursor"]);

        var whatsapp = (await isolated.Client.GetJsonAsync("/campaigns?channel=whatsapp&page_size=100", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(15, whatsapp["pagination"]!["total_count"]!.GetValue<long>());
        Assert.All(whatsapp["data"]!.AsArray(), c => Assert.Equal("whatsapp", c!["channel"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_cursor_walk_neither_repeats_nor_skips_while_rows_are_inserted()
    {
        await using var isolated = await IsolatedApi.StartAsync(fixture, Ct);
        var original = new List<long>();
        for (var i = 0; i < 25; i++)
        {
            original.Add((await isolated.Client.CreateCampaignAsync(Ct))["id"]!.GetValue<long>());
        }

        var walked = new List<long>();
        string? cursor = null;
        var first = true;
        while (first || cursor is not null)
        {
            var path = cursor is null ? "/campaigns?page_size=7" : $"/campaigns?page_size=7&cursor={cursor}";
            var body = (await isolated.Client.GetJsonAsync(path, Ct)).Expect(HttpStatusCode.OK).Json;
            if (!first)
            {
                Assert.Null(body["pagination"]!["page"]);
            }
            walked.AddRange(body["data"]!.AsArray().Select(c => c!["id"]!.GetValue<long>()));
            cursor = body["pagination"]!["next_cursor"]?.GetValue<string>();
            first = false;
            // Newer rows land at the head of the list and must not disturb the walk.
            await isolated.Client.CreateCampaignAsync(Ct);
        }

        Assert.Equal(original.OrderByDescending(id => id), walked);
    }

    [Theory]
    [InlineData("page_size=0", 20)]
    [InlineData("page_size=-3", 20)]
    [InlineData("page_size=1000", 100)]
    [InlineData("page_size=7", 7)]
    [InlineData("page=-2", 20)]
    public async Task Page_parameters_are_clamped(string query, int expectedPageSize)
    {
        var body = (await _api.GetJsonAsync($"/campaigns?{query}", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(expectedPageSize, body["pagination"]!["page_size"]!.GetValue<int>());
        Assert.Equal(1, body["pagination"]!["page"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("page=abc")]
    [InlineData("page_size=1.5")]
    [InlineData("channel=fax")]
    [InlineData("status=archived")]
    [InlineData("cursor=not-a-cursor!")]
    [InlineData("cursor=djE6LTE")]
    // Bound alone, these would read as channel=sms and status=sent (ASP.NET joins repeated values, skipping empty ones).
    [InlineData("channel=&channel=sms")]
    [InlineData("status=&status=sent")]
    public async Task Bad_list_parameters_are_validation_errors(string query)
    {
        (await _api.GetJsonAsync($"/campaigns?{query}", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Filters_by_status_and_channel_return_only_matching_campaigns()
    {
        await _api.CreateCampaignAsync(Ct, channel: "whatsapp", scheduledAt: DateTimeOffset.UtcNow.AddDays(1));

        var body = (await _api.GetJsonAsync("/campaigns?status=scheduled&channel=whatsapp&page_size=100", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.NotEmpty(body["data"]!.AsArray());
        Assert.All(body["data"]!.AsArray(), c =>
        {
            Assert.Equal("scheduled", c!["status"]!.GetValue<string>());
            Assert.Equal("whatsapp", c["channel"]!.GetValue<string>());
        });
    }
}

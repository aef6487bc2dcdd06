using System.Net;
using System.Text;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Campaigns.Tests.Security;

public sealed class LimitsTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Over_the_request_budget_is_429_with_retry_after()
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using var factory = InProcessApi.Create(postgres, redis, web => web
            .UseSetting("RateLimits:PermitsPerSecond", "1").UseSetting("RateLimits:Burst", "3"));
        using var client = factory.CreateAuthenticatedClient();

        var responses = new List<ApiResponse>();
        for (var i = 0; i < 6; i++)
        {
            responses.Add(await client.GetJsonAsync("/campaigns?page_size=1", Ct));
        }

        var limited = responses.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r =>
        {
            r.Expect(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
            Assert.True(int.Parse(r.Headers["Retry-After"]) >= 1);
        });
        // Probes are never limited.
        using var health = await client.GetAsync("/alive", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Sends_have_a_tighter_budget_of_their_own()
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using var factory = InProcessApi.Create(postgres, redis, web => web
            .UseSetting("RateLimits:SendPermitsPerSecond", "1").UseSetting("RateLimits:SendBurst", "1"));
        using var client = factory.CreateAuthenticatedClient();

        var first = await client.PostJsonAsync("/campaigns/987654321/send", new { customer_ids = new[] { 1 } }, Ct);
        var second = await client.PostJsonAsync("/campaigns/987654321/send", new { customer_ids = new[] { 1 } }, Ct);

        first.Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
        second.Expect(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        (await client.GetJsonAsync("/campaigns?page_size=1", Ct)).Expect(HttpStatusCode.OK);
    }

    // Over-limit bodies go with Expect: 100-continue, so the server's early 413 does not race the client's upload.
    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var body = $$"""{"name":"x","channel":"sms","base_template":"{{new string('a', 1_100_000)}}"}""";

        var response = await PostExpectingContinueAsync("/campaigns", body);

        response.Expect(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task A_send_of_100000_ids_fits_its_own_larger_limit_but_not_more()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var big = "{\"customer_ids\":[" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => 9_000_000_000_000L + i)) + "]}";
        var huge = "{\"customer_ids\":[" + string.Join(",", Enumerable.Repeat("1", 10)) + "],\"pad\":\"" + new string('p', 5_000_000) + "\"}";

        (await PostExpectingContinueAsync($"/campaigns/{campaignId}/send", big)).Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
        (await PostExpectingContinueAsync($"/campaigns/{campaignId}/send", huge)).Expect(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    private async Task<ApiResponse> PostExpectingContinueAsync(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        return await _api.SendRawAsync(request, Ct);
    }

    [Fact]
    public async Task Json_nested_deeper_than_the_limit_is_invalid_json()
    {
        var deep = new StringBuilder("{\"name\":\"x\",\"channel\":\"sms\",\"base_template\":\"Hi\",\"extra\":");
        deep.Append(string.Concat(Enumerable.Repeat("[", 200))).Append(string.Concat(Enumerable.Repeat("]", 200))).Append('}');

        (await _api.PostJsonAsync("/campaigns", deep.ToString(), Ct)).Expect(HttpStatusCode.BadRequest, "INVALID_JSON");
    }
}

using System.Net;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Campaigns.Tests.Webhooks;

/// <summary>The webhooks' budget is per source address, apart from the anonymous one. Low limits, in a process of their own.</summary>
public sealed class WebhookRateLimitTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Over_the_budget_a_source_address_is_429_with_retry_after_and_others_are_not()
    {
        await using var factory = await WebhookApi.StartAsync(fixture, web => web
            .UseSetting("RateLimits:WebhookPermitsPerSecond", "1").UseSetting("RateLimits:WebhookBurst", "3")
            .UseSetting("RateLimits:AnonymousPermitsPerSecond", "1").UseSetting("RateLimits:AnonymousBurst", "1"));

        HttpContext? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var context = await PostFromAsync(factory.Server, "203.0.113.20");
            // Until the budget is spent: refused by its token, not by a budget.
            Assert.True(context.Response.StatusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status429TooManyRequests);
            limited = context.Response.StatusCode == StatusCodes.Status429TooManyRequests ? context : null;
        }

        Assert.NotNull(limited);
        Assert.True(int.Parse(limited.Response.Headers.RetryAfter!) >= 1);
        var body = await new StreamReader(limited.Response.Body).ReadToEndAsync(Ct);
        Assert.Contains("\"RATE_LIMITED\"", body);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await PostFromAsync(factory.Server, "203.0.113.21")).Response.StatusCode);
        // Webhooks never spend the anonymous budget (one request here): probes from that address still pass.
        Assert.Equal(StatusCodes.Status200OK, (await GetFromAsync(factory.Server, "203.0.113.20", "/alive")).Response.StatusCode);
    }

    private static Task<HttpContext> PostFromAsync(TestServer server, string address) =>
        SendFromAsync(server, address, HttpMethods.Post, "/webhooks/africastalking/delivery", "?token=wrong");

    private static Task<HttpContext> GetFromAsync(TestServer server, string address, string path) =>
        SendFromAsync(server, address, HttpMethods.Get, path, "");

    private static Task<HttpContext> SendFromAsync(TestServer server, string address, string method, string path, string query) =>
        server.SendAsync(http =>
        {
            http.Request.Method = method;
            http.Request.Path = path;
            http.Request.QueryString = new QueryString(query);
            http.Connection.RemoteIpAddress = IPAddress.Parse(address);
        }, Ct);
}

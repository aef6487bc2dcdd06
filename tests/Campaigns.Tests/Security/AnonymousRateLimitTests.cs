using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Api;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Campaigns.Tests.Security;

/// <summary>
/// Requests without a valid key (public paths, the console's files, refused requests) have a budget
/// per client address; requests with a key never spend it. Low limits, in a process of their own.
/// </summary>
public sealed class AnonymousRateLimitTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar")]
    [InlineData("/")]
    [InlineData("/console/app.css")]
    [InlineData("/campaigns")]
    public async Task Anonymous_requests_over_the_budget_are_429_with_retry_after(string path)
    {
        await using var factory = await StartAsync();
        using var anonymous = factory.CreateValidatedClient();

        using var first = await anonymous.GetAsync(path, Ct);
        var limited = await RepeatUntilLimitedAsync(anonymous, path);

        Assert.Equal(path == "/campaigns" ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, first.StatusCode);
        limited.Expect(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.True(int.Parse(limited.Headers["Retry-After"]) >= 1);
    }

    [Fact]
    public async Task Requests_with_a_key_neither_spend_nor_meet_the_anonymous_budget()
    {
        await using var factory = await StartAsync();
        using var anonymous = factory.CreateValidatedClient();
        using var authenticated = factory.CreateAuthenticatedClient();
        await RepeatUntilLimitedAsync(anonymous, "/health");

        for (var i = 0; i < 20; i++)
        {
            (await authenticated.GetJsonAsync("/campaigns?page_size=1", Ct)).Expect(HttpStatusCode.OK);
            using var health = await authenticated.GetAsync("/health", Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task Each_client_address_has_its_own_budget_and_an_ipv6_slash_64_shares_one()
    {
        await using var factory = await StartAsync();

        await ExhaustAsync(factory, "203.0.113.7");
        Assert.Equal(StatusCodes.Status200OK, await StatusFromAsync(factory, "203.0.113.8"));

        await ExhaustAsync(factory, "2001:db8:1:2::1");
        Assert.Equal(StatusCodes.Status429TooManyRequests, await StatusFromAsync(factory, "2001:db8:1:2:ffff::9"));
        Assert.Equal(StatusCodes.Status200OK, await StatusFromAsync(factory, "2001:db8:1:3::1"));
    }

    private async Task<WebApplicationFactory<ApiAssembly>> StartAsync()
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        return InProcessApi.Create(postgres, redis, web => web
            .UseSetting("RateLimits:AnonymousPermitsPerSecond", "1").UseSetting("RateLimits:AnonymousBurst", "3"));
    }

    /// <summary>At one token a second, twenty quick requests always find the bucket empty.</summary>
    private static async Task<ApiResponse> RepeatUntilLimitedAsync(HttpClient client, string path)
    {
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync(path, Ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var text = await response.Content.ReadAsStringAsync(Ct);
                return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType, null,
                    response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
                    JsonNode.Parse(text), text);
            }
        }
        Assert.Fail($"20 anonymous requests to {path} were never limited");
        return null!;
    }

    private static async Task ExhaustAsync(WebApplicationFactory<ApiAssembly> factory, string address)
    {
        for (var i = 0; i < 20; i++)
        {
            if (await StatusFromAsync(factory, address) == StatusCodes.Status429TooManyRequests)
            {
                return;
            }
        }
        Assert.Fail($"20 anonymous requests from {address} were never limited");
    }

    private static async Task<int> StatusFromAsync(WebApplicationFactory<ApiAssembly> factory, string address)
    {
        var context = await factory.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Path = "/alive";
            http.Connection.RemoteIpAddress = IPAddress.Parse(address);
        }, Ct);
        return context.Response.StatusCode;
    }
}

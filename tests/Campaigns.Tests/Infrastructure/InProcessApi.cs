using Campaigns.Api;
using Campaigns.Tests.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Campaigns.Tests.Infrastructure;

/// <summary>The real API in this process (WebApplicationFactory), for tests that need to change its settings.</summary>
public static class InProcessApi
{
    public const string ApiKey = "in-process-test-key";

    public static WebApplicationFactory<ApiAssembly> Create(string postgres, string redis, Action<IWebHostBuilder>? configure = null) =>
        new WebApplicationFactory<ApiAssembly>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:campaignsdb", postgres)
                .UseSetting("ConnectionStrings:redis", redis)
                .UseSetting("Auth:ApiKeys:0", "sha256:" + Convert.ToHexString(Campaigns.Api.Security.ApiKeyVerifier.Digest(ApiKey)))
                .UseSetting("RateLimits:PermitsPerSecond", "1000000")
                .UseSetting("RateLimits:Burst", "1000000")
                .UseSetting("RateLimits:SendPermitsPerSecond", "1000000")
                .UseSetting("RateLimits:SendBurst", "1000000")
                .UseSetting("RateLimits:ImportConcurrency", "1000000")
                .UseSetting("RateLimits:SendConcurrency", "1000000")
                .UseSetting("RateLimits:WebhookPermitsPerSecond", "1000000")
                .UseSetting("RateLimits:WebhookBurst", "1000000");
            configure?.Invoke(web);
        });

    /// <param name="streamBodies">
    /// Send request bodies as they are written (<see cref="HeldBody"/>): without following redirects, whose
    /// handler reads a whole body first so it could send it again.
    /// </param>
    /// <summary>The real API without a language model (<c>ConnectionStrings:ai</c> empty), on the graph's database; its jobs, if any, go to a Redis database of their own.</summary>
    public static async Task<WebApplicationFactory<ApiAssembly>> WithoutModelAsync(AppFixture fixture, CancellationToken cancellationToken)
    {
        var redis = await fixture.Graph.UnreadRedisAsync(1, cancellationToken);
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", cancellationToken);
        return Create(postgres, redis, web => web.UseSetting("ConnectionStrings:ai", ""));
    }

    public static HttpClient CreateAuthenticatedClient(this WebApplicationFactory<ApiAssembly> factory, bool streamBodies = false)
    {
        var client = factory.CreateValidatedClient(allowAutoRedirect: !streamBodies);
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>
    /// <c>factory.CreateClient(options)</c> with every exchange checked against the OpenAPI document: the
    /// same handlers (redirects only when followed, cookies), the check outermost, where a request's body is
    /// still the test's own (RedirectHandler swaps it for a stream) and the answer is the one the test gets.
    /// </summary>
    public static HttpClient CreateValidatedClient(this WebApplicationFactory<ApiAssembly> factory, bool allowAutoRedirect = true)
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = allowAutoRedirect };
        DelegatingHandler[] handlers = options.AllowAutoRedirect
            ? [new OpenApiConformanceHandler(), new RedirectHandler(options.MaxAutomaticRedirections), new CookieContainerHandler()]
            : [new OpenApiConformanceHandler(), new CookieContainerHandler()];
        return factory.CreateDefaultClient(options.BaseAddress, handlers);
    }
}

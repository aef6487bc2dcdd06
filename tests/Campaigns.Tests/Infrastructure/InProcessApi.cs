using Campaigns.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

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
                .UseSetting("RateLimits:SendBurst", "1000000");
            configure?.Invoke(web);
        });

    public static HttpClient CreateAuthenticatedClient(this WebApplicationFactory<ApiAssembly> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }
}

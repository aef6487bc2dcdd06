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
                .UseSetting("RateLimits:SendBurst", "1000000")
                .UseSetting("RateLimits:ImportConcurrency", "1000000")
                .UseSetting("RateLimits:SendConcurrency", "1000000");
            configure?.Invoke(web);
        });

    /// <param name="streamBodies">
    /// Send request bodies as they are written (<see cref="HeldBody"/>): without following redirects, whose
    /// handler reads a whole body first so it could send it again.
    /// </param>
    public static HttpClient CreateAuthenticatedClient(this WebApplicationFactory<ApiAssembly> factory, bool streamBodies = false)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = !streamBodies });
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }
}

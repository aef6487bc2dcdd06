using System.Net;
using Campaigns.Benchmarks.Data;
using Campaigns.Benchmarks.Measure;
using Campaigns.Benchmarks.Report;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// <c>links</c>: <c>GET /l/{code}</c> (the public redirect of a tracked link, no key) over one link per message of the
/// reads scenario's campaign (1,000,000 in a full run), each request a different random code, under the same clients
/// as the reads. Every request records a click, as a recipient's would.
/// </summary>
public static class LinksScenario
{
    public static async Task<LinksResult> RunAsync(BenchContext context, long campaignId, CancellationToken cancellationToken)
    {
        var options = context.Options;
        context.Log.WriteLine($"  links: writing one link per message of campaign {campaignId}…");
        var links = await LinkDataset.CreateAsync(context.Database, campaignId, cancellationToken);
        await context.Database.VacuumAsync(cancellationToken);
        var codes = await LinkDataset.SampleCodesAsync(context.Database, campaignId, options.Requests + options.WarmupRequests, cancellationToken);

        // The redirect itself is measured: a client that does not follow it (and sends no key: the endpoint is public).
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 })
        {
            BaseAddress = context.Api.Http.BaseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var (latency, perSecond) = await context.MeasureCpuAsync("links", () => ReadLoad.RunAsync(http,
            n => $"/l/{codes[n % codes.Length]}", HttpStatusCode.Found, options.Clients, options.Requests, options.WarmupRequests,
            cancellationToken), cancellationToken);
        var result = new LinksResult
        {
            Links = links,
            Clients = options.Clients,
            Requests = options.Requests,
            P50Ms = Math.Round(latency.P50, 2),
            P95Ms = Math.Round(latency.P95, 2),
            RequestsPerSecond = perSecond,
            CpuMsPerRequest = context.CpuMsPerRequest("links", options.Requests + options.WarmupRequests),
        };
        context.Log.WriteLine($"  links: p95 {result.P95Ms} ms, {result.RequestsPerSecond} req/s over {links:N0} links");
        return result;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Campaigns.Benchmarks.Measure;

/// <summary>
/// A closed-loop read load: <c>clients</c> concurrent loops share a fixed number of requests to one
/// path, after a warm-up of the same kind; each request is timed until its body is fully read.
/// </summary>
public static class ReadLoad
{
    /// <returns>Latency percentiles, and the requests per second the clients got through (Little's law ties the two).</returns>
    public static async Task<(Percentiles Latency, double RequestsPerSecond)> RunAsync(HttpClient http, string path, int clients,
        int requests, int warmup, CancellationToken cancellationToken)
    {
        await RunRoundAsync(http, path, clients, warmup, null, cancellationToken);
        var timings = new ConcurrentBag<double>();
        var started = Stopwatch.GetTimestamp();
        await RunRoundAsync(http, path, clients, requests, timings, cancellationToken);
        return (Percentiles.Of(timings), Math.Round(requests / Stopwatch.GetElapsedTime(started).TotalSeconds, 0));
    }

    private static async Task RunRoundAsync(HttpClient http, string path, int clients, int requests,
        ConcurrentBag<double>? timings, CancellationToken cancellationToken)
    {
        var remaining = requests;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
                }
                timings?.Add(elapsed.TotalMilliseconds);
            }
        }));
    }
}

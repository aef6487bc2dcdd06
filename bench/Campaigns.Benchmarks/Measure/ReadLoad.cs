using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Campaigns.Benchmarks.Measure;

/// <summary>
/// A closed-loop read load: <c>clients</c> concurrent loops share a fixed number of requests to one
/// path (or to the paths a function gives, request by request), after a warm-up of the same kind; each request is
/// timed until its body is fully read and must answer <c>expected</c> (200 unless told).
/// </summary>
public static class ReadLoad
{
    /// <returns>Latency percentiles, and the requests per second the clients got through (Little's law ties the two).</returns>
    public static Task<(Percentiles Latency, double RequestsPerSecond)> RunAsync(HttpClient http, string path, int clients,
        int requests, int warmup, CancellationToken cancellationToken) =>
        RunAsync(http, _ => path, HttpStatusCode.OK, clients, requests, warmup, cancellationToken);

    /// <param name="pathOf">The path of the request with this number (warm-up and measured requests numbered apart).</param>
    public static async Task<(Percentiles Latency, double RequestsPerSecond)> RunAsync(HttpClient http, Func<int, string> pathOf,
        HttpStatusCode expected, int clients, int requests, int warmup, CancellationToken cancellationToken)
    {
        await RunRoundAsync(http, n => pathOf(requests + n), expected, clients, warmup, null, cancellationToken);
        var timings = new ConcurrentBag<double>();
        var started = Stopwatch.GetTimestamp();
        await RunRoundAsync(http, pathOf, expected, clients, requests, timings, cancellationToken);
        return (Percentiles.Of(timings), Math.Round(requests / Stopwatch.GetElapsedTime(started).TotalSeconds, 0));
    }

    private static async Task RunRoundAsync(HttpClient http, Func<int, string> pathOf, HttpStatusCode expected, int clients,
        int requests, ConcurrentBag<double>? timings, CancellationToken cancellationToken)
    {
        var remaining = requests;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int number;
            while ((number = Interlocked.Decrement(ref remaining)) >= 0)
            {
                var path = pathOf(number);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (response.StatusCode != expected)
                {
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
                }
                timings?.Add(elapsed.TotalMilliseconds);
            }
        }));
    }
}

using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// A stand-in for the dashboard's OTLP endpoint (OTLP/HTTP, protobuf): keeps every trace export per
/// service, so a test can ask whether a service exported spans that belong to (or link to) a trace;
/// with <c>keepLogs</c>, every log export too.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _traces = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _logs = new();

    private OtlpSink(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static readonly string[] Services = ["api", "worker"];

    /// <param name="keepLogs">Keep log exports as well (the shared graph's sink does not: it would hold the whole run's logs).</param>
    public static async Task<OtlpSink> StartAsync(CancellationToken cancellationToken, bool keepLogs = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // An export of thousands of spans with their SQL text can pass Kestrel's 30 MB default; a 413
        // would drop the whole batch, and with it the span a test waits for.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        var sink = new OtlpSink(app);
        app.MapPost("/{service}/v1/traces", async (string service, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            sink._traces.GetOrAdd(service, _ => new()).Enqueue(body.ToArray());
            return Results.Ok();
        });
        if (keepLogs)
        {
            app.MapPost("/{service}/v1/logs", async (string service, HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
                sink._logs.GetOrAdd(service, _ => new()).Enqueue(body.ToArray());
                return Results.Ok();
            });
        }
        app.MapPost("/{service}/v1/{signal}", () => Results.Ok());
        await app.StartAsync(cancellationToken);
        sink.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return sink;
    }

    /// <summary>The OTLP endpoint a service should export to.</summary>
    public string EndpointFor(string service) => $"{BaseUrl}/{service}";

    /// <summary>Points the graph's API and worker at this sink, exporting every 500 ms.</summary>
    public void ExportFrom(IDistributedApplicationTestingBuilder builder) => ExportFrom(builder, Services);

    /// <summary>Points the named services of the graph at this sink, exporting every 500 ms.</summary>
    public void ExportFrom(IDistributedApplicationTestingBuilder builder, IEnumerable<string> services)
    {
        foreach (var service in services)
        {
            builder.CreateResourceBuilder<ProjectResource>(service)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", EndpointFor(service))
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "500")
                .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "500")
                // The suite makes thousands of spans a second; the default queue (2,048) would drop some.
                .WithEnvironment("OTEL_BSP_MAX_QUEUE_SIZE", "200000")
                .WithEnvironment("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2048");
        }
    }

    /// <summary>Every span the service exported so far.</summary>
    public IReadOnlyList<OtlpRecords.Span> Spans(string service) =>
        _traces.TryGetValue(service, out var exports) ? [.. exports.SelectMany(OtlpRecords.Spans)] : [];

    /// <summary>Every log record the service exported so far (only with <c>keepLogs</c>).</summary>
    public IReadOnlyList<OtlpRecords.LogRecord> Logs(string service) =>
        _logs.TryGetValue(service, out var exports) ? [.. exports.SelectMany(OtlpRecords.Logs)] : [];

    /// <summary>
    /// Whether the service exported a span carrying the trace id, as its own trace or in a link:
    /// protobuf stores trace ids as their 16 raw bytes.
    /// </summary>
    public bool HasTrace(string service, string traceIdHex)
    {
        var traceId = Convert.FromHexString(traceIdHex);
        return _traces.TryGetValue(service, out var exports) && exports.Any(e => e.AsSpan().IndexOf(traceId) >= 0);
    }

    /// <summary>Whether any trace or log export of the service carries the text (UTF-8), wherever it sits: a name, an attribute, a body.</summary>
    public bool Exported(string service, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return new[] { _traces, _logs }.Any(signal =>
            signal.TryGetValue(service, out var exports) && exports.Any(e => e.AsSpan().IndexOf(bytes) >= 0));
    }

    /// <summary>Services that exported traces so far, with how many exports each (for failure messages).</summary>
    public string Summary() => string.Join(", ", _traces.Select(t => $"{t.Key}: {t.Value.Count}"));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

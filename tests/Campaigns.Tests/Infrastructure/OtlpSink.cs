using System.Collections.Concurrent;
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
/// service, so a test can ask whether a service exported spans that belong to (or link to) a trace.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _traces = new();

    private OtlpSink(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<OtlpSink> StartAsync(CancellationToken cancellationToken)
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
        app.MapPost("/{service}/v1/{signal}", () => Results.Ok());
        await app.StartAsync(cancellationToken);
        sink.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return sink;
    }

    /// <summary>The OTLP endpoint a service should export to.</summary>
    public string EndpointFor(string service) => $"{BaseUrl}/{service}";

    /// <summary>
    /// Whether the service exported a span carrying the trace id, as its own trace or in a link:
    /// protobuf stores trace ids as their 16 raw bytes.
    /// </summary>
    public bool HasTrace(string service, string traceIdHex)
    {
        var traceId = Convert.FromHexString(traceIdHex);
        return _traces.TryGetValue(service, out var exports) && exports.Any(e => e.AsSpan().IndexOf(traceId) >= 0);
    }

    /// <summary>Services that exported traces so far, with how many exports each (for failure messages).</summary>
    public string Summary() => string.Join(", ", _traces.Select(t => $"{t.Key}: {t.Value.Count}"));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

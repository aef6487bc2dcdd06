using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>
/// The API's webhooks as the simulator sees them: a Kestrel on 127.0.0.1 that records every request as
/// it arrived (raw body included, for signatures) and answers 204, or what the test asks for next.
/// </summary>
public sealed class ReceiptSink : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentQueue<int> _answers = new();

    private ReceiptSink(WebApplication app) => _app = app;

    /// <summary>The public base URL, as <c>Webhooks:PublicBaseUrl</c> would name it (no trailing slash).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public static async Task<ReceiptSink> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var sink = new ReceiptSink(builder.Build());
        sink._app.Run(sink.AnswerAsync);
        await sink._app.StartAsync(cancellationToken);
        sink.BaseUrl = new Uri(sink._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return sink;
    }

    /// <summary>Answers the next <paramref name="times"/> requests with <paramref name="status"/> instead of 204.</summary>
    public void AnswerNext(int status, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _answers.Enqueue(status);
        }
    }

    /// <summary>Polls what has arrived until <paramref name="done"/> holds; fails with what did arrive after a while.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<IReadOnlyList<ReceivedRequest>, bool> done, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var received = Received;
            if (done(received))
            {
                return received;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The receipts expected did not arrive in {Patience.TotalSeconds} s; received: "
                    + string.Join(Environment.NewLine, received.Select(r => $"{r.Method} {r.Url} {r.Text}")));
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var status = _answers.TryDequeue(out var next) ? next : StatusCodes.Status204NoContent;
        var request = context.Request;
        _received.Enqueue(new ReceivedRequest(
            request.Method,
            new Uri($"{BaseUrl.AbsoluteUri.TrimEnd('/')}{request.Path}{request.QueryString}"),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            request.ContentType,
            body.ToArray(),
            status));
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>One webhook call as the sink received it.</summary>
/// <param name="Url">The full URL it was posted to, query included.</param>
/// <param name="AnsweredWith">The status the sink answered.</param>
public sealed record ReceivedRequest(
    string Method, Uri Url, IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[] Body, int AnsweredWith)
{
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The form fields, decoded.</summary>
    public IReadOnlyDictionary<string, string> Form =>
        QueryHelpers.ParseQuery(Text).ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);

    public JsonNode Json => JsonNode.Parse(Body)!;

    /// <summary>A WhatsApp webhook's one status.</summary>
    public JsonNode WhatsAppStatus => Json["entry"]![0]!["changes"]![0]!["value"]!["statuses"]![0]!;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Campaigns.Tests.Providers;

/// <summary>
/// A provider on 127.0.0.1 (any free port): records every request as it arrived and answers from a
/// script, in order (500 once the script runs out, so an unexpected extra request shows).
/// </summary>
public sealed class ProviderFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedAnswer> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private ProviderFake(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<ProviderFake> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var fake = new ProviderFake(builder.Build());
        fake._app.Run(fake.AnswerAsync);
        await fake._app.StartAsync(cancellationToken);
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address + "/");
        return fake;
    }

    public ProviderFake Answer(int status, string? body = null, string contentType = "application/json",
        IReadOnlyDictionary<string, string>? headers = null, TimeSpan delay = default)
    {
        _script.Enqueue(new ScriptedAnswer(status, body, contentType, headers ?? new Dictionary<string, string>(), delay));
        return this;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            context.Request.ContentType,
            body));

        if (!_script.TryDequeue(out var answer))
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("unscripted", context.RequestAborted);
            return;
        }
        if (answer.Delay > TimeSpan.Zero)
        {
            // The request is in; the answer never comes in time.
            await Task.Delay(answer.Delay, context.RequestAborted);
        }
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }
        if (answer.Body is not null)
        {
            context.Response.ContentType = answer.ContentType;
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private sealed record ScriptedAnswer(int Status, string? Body, string ContentType, IReadOnlyDictionary<string, string> Headers, TimeSpan Delay);
}

/// <summary>One request as the fake received it.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body)
{
    /// <summary>The form fields, decoded, in the order sent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Form =>
        [.. Body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2)).Select(pair =>
            new KeyValuePair<string, string>(Decode(pair[0]), pair.Length > 1 ? Decode(pair[1]) : ""))];

    public string Field(string name) => Form.Single(f => f.Key == name).Value;

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

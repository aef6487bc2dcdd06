using System.Net;
using System.Net.Sockets;
using Campaigns.Core.Domain;
using Campaigns.Worker.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Tests.Providers;

/// <summary>
/// The provider clients' HTTP pipeline under the worker's service defaults: no retry (the standard
/// handler every other client gets would resend a message), a timeout that makes the outcome unknown,
/// a refused connection that is safe to fail over, and a circuit that opens.
/// </summary>
public sealed class ProviderResilienceTests : IAsyncLifetime
{
    private const string Unavailable = """{"code":20503,"message":"Service Unavailable","status":503}""";

    private ProviderFake _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await ProviderFake.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static IHost Host(Uri baseUrl, Dictionary<string, string?>? extra = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Providers:Twilio:AccountSid"] = "AC123",
            ["Providers:Twilio:AuthToken"] = "secret-token",
            ["Providers:Twilio:From"] = "+15005550006",
            ["Providers:Twilio:BaseUrl"] = baseUrl.AbsoluteUri,
            ["Webhooks:PublicBaseUrl"] = "https://campaigns.example.com/",
        };
        foreach (var (key, value) in extra ?? [])
        {
            configuration[key] = value;
        }
        return ProviderHost.Build(configuration, services => services.AddTwilioClient());
    }

    private static Task<ProviderOutcome> SendAsync(IHost host) =>
        host.Services.GetRequiredService<TwilioClient>().SendAsync(
            new TwilioMessage(Channel.Sms, "+254711000001", "Hello", "msg-1"), TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_503_answered_once_is_asked_once_where_the_default_client_would_have_retried()
    {
        using var host = Host(_fake.BaseUrl);

        // A client with the service defaults alone retries the 503, and the retry succeeds.
        _fake.Answer(503, Unavailable).Answer(201, """{"sid":"SM1"}""");
        var plain = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("plain");
        using var response = await plain.PostAsync(new Uri(_fake.BaseUrl, "anything"), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, _fake.Requests.Count);

        // The provider client under the same defaults: one request, the success left unasked.
        _fake.Answer(503, Unavailable).Answer(201, """{"sid":"SM1"}""");
        var outcome = await SendAsync(host);

        Assert.Equal(ProviderOutcomeKind.TransientFailure, outcome.Kind);
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task No_answer_within_the_send_timeout_is_an_unknown_outcome()
    {
        using var host = Host(_fake.BaseUrl, new() { ["Worker:SendTimeout"] = "00:00:00.300" });
        _fake.Answer(201, """{"sid":"SM1"}""", delay: TimeSpan.FromSeconds(5));

        var outcome = await SendAsync(host);

        Assert.Equal(ProviderOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal("timeout", outcome.ErrorCode);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_transient_and_counts_toward_the_circuit()
    {
        using var host = Host(new Uri($"http://127.0.0.1:{ClosedPort()}/"));

        var outcome = await SendAsync(host);

        Assert.Equal(ProviderOutcomeKind.TransientFailure, outcome.Kind);
        Assert.Equal("connection_failed", outcome.ErrorCode);
        Assert.True(outcome.CircuitFailure);
    }

    [Fact]
    public async Task Once_the_circuit_opens_nothing_more_reaches_the_provider()
    {
        using var host = Host(_fake.BaseUrl, new()
        {
            ["Providers:Circuit:MinimumThroughput"] = "2",
            ["Providers:Circuit:BreakDuration"] = "00:00:30",
        });
        _fake.Answer(503, Unavailable).Answer(503, Unavailable);

        await SendAsync(host);
        await SendAsync(host);
        var outcome = await SendAsync(host);

        Assert.Equal(ProviderOutcomeKind.NotAttempted, outcome.Kind);
        Assert.NotNull(outcome.RetryAfter);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task A_429_does_not_count_toward_the_circuit()
    {
        using var host = Host(_fake.BaseUrl, new() { ["Providers:Circuit:MinimumThroughput"] = "2" });
        for (var i = 0; i < 3; i++)
        {
            _fake.Answer(429, """{"code":20429,"message":"Too Many Requests","status":429}""");
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ProviderOutcomeKind.RateLimited, (await SendAsync(host)).Kind);
        }
        Assert.Equal(3, _fake.Requests.Count);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

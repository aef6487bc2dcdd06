using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.Infrastructure.OpenApi;

namespace Campaigns.Tests.Delivery;

/// <summary>One trace runs from the client's request through the API, the queue and the worker.</summary>
public sealed class TraceTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_trace_of_a_send_reaches_the_worker()
    {
        using var api = ClientThatKeepsItsTraceparent();
        var campaignId = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(3, Ct);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/campaigns/{campaignId}/send")
        {
            Content = JsonContent.Create(new { customer_ids = customers }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        (await api.SendRawAsync(request, Ct)).Expect(HttpStatusCode.Accepted);

        // Exports are batched (every 500 ms here): poll until both services have shipped spans of this trace.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(fixture.Telemetry.HasTrace("api", traceId) && fixture.Telemetry.HasTrace("worker", traceId)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }
        Assert.True(fixture.Telemetry.HasTrace("api", traceId), $"api exported no span of the trace ({fixture.Telemetry.Summary()})");
        Assert.True(fixture.Telemetry.HasTrace("worker", traceId), $"worker exported no span of the trace ({fixture.Telemetry.Summary()})");
    }

    /// <summary>
    /// A client that sends the traceparent header as set. While an in-process API runs in this test
    /// process (other tests), its OpenTelemetry listener makes HttpClient add a traceparent of its own,
    /// and a request with two is a new trace to the server.
    /// </summary>
    private HttpClient ClientThatKeepsItsTraceparent()
    {
        using var template = fixture.CreateApiClient();
        var client = new HttpClient(new OpenApiConformanceHandler(new SocketsHttpHandler { ActivityHeadersPropagator = null }))
        {
            BaseAddress = template.BaseAddress,
        };
        foreach (var header in template.DefaultRequestHeaders)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(header.Key, header.Value);
        }
        return client;
    }
}

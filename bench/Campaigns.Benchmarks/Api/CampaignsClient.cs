using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Campaigns.Benchmarks.Api;

/// <summary>The calls the benchmark makes to the API, over a client of its own (a pool of connections).</summary>
public sealed class CampaignsClient(HttpClient http) : IDisposable
{
    /// <summary>The API's JSON (and the simulator's control endpoints'): web defaults, snake_case names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public HttpClient Http => http;

    public static CampaignsClient Create(Uri baseAddress, string apiKey)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        http.DefaultRequestHeaders.Add(Graph.ApiLimits.ApiKeyHeader, apiKey);
        return new CampaignsClient(http);
    }

    /// <param name="sendWindow">The campaign's <c>send_window</c> (<c>{ start, end, days? }</c>), or none.</param>
    /// <param name="content">Further members of the campaign (variants, translations, track_links…), or none.</param>
    public async Task<long> CreateCampaignAsync(string name, CancellationToken cancellationToken, object? sendWindow = null,
        IReadOnlyDictionary<string, object>? content = null)
    {
        var body = new Dictionary<string, object>
        {
            ["name"] = name,
            ["channel"] = "sms",
            ["base_template"] = Data.BenchDatabase.Template,
        };
        if (sendWindow is not null)
        {
            body["send_window"] = sendWindow;
        }
        foreach (var (member, value) in content ?? new Dictionary<string, object>())
        {
            body[member] = value;
        }
        using var response = await http.PostAsJsonAsync("/campaigns", body, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
        var campaign = await response.Content.ReadFromJsonAsync<CampaignView>(Json, cancellationToken);
        return campaign!.Id;
    }

    /// <summary>The body of a send, serialized up front so the timing holds only the request itself.</summary>
    public static byte[] SendBody(IReadOnlyList<long> customerIds) =>
        JsonSerializer.SerializeToUtf8Bytes(new { customer_ids = customerIds });

    /// <returns>Messages queued and the time until the 202 arrived.</returns>
    public async Task<(int Queued, TimeSpan Elapsed)> SendAsync(long campaignId, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var started = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync($"/campaigns/{campaignId}/send", content, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Accepted, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var accepted = await response.Content.ReadFromJsonAsync<SendAccepted>(Json, cancellationToken);
        return (accepted!.MessagesQueued, elapsed);
    }

    public async Task<CampaignView> GetCampaignAsync(long campaignId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/campaigns/{campaignId}", cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<CampaignView>(Json, cancellationToken))!;
    }

    public async Task CancelAsync(long campaignId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"/campaigns/{campaignId}/cancel", null, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>Polls the campaign every <paramref name="interval"/> until it reaches a final status.</summary>
    public async Task<CampaignView> WaitUntilFinishedAsync(long campaignId, TimeSpan interval, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var campaign = await GetCampaignAsync(campaignId, deadline.Token);
            if (campaign.Status is "sent" or "failed" or "cancelled")
            {
                return campaign;
            }
            await Task.Delay(interval, deadline.Token);
        }
    }

    public void Dispose() => http.Dispose();

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        }
    }

    public sealed record CampaignView(long Id, string Status, CampaignStats Stats);

    public sealed record CampaignStats(int Total, int Pending, int Sending, int Sent, int Delivered, int Undelivered, int Failed,
        int Cancelled, int Expired)
    {
        /// <summary>Messages a provider accepted: sent, and those receipts have moved on since.</summary>
        public int Accepted => Sent + Delivered + Undelivered + Expired;
    }

    private sealed record SendAccepted(long CampaignId, int MessagesQueued, int SkippedOptedOut, string Status);
}

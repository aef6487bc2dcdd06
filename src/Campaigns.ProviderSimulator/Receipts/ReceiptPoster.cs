using System.Diagnostics;
using System.Net.Http.Headers;
using Campaigns.ProviderSimulator.Options;
using Campaigns.ProviderSimulator.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.Receipts;

/// <summary>
/// Posts receipts to the API's webhooks. A receipt the API answers with 5xx or 429, or not at all, is
/// queued again with a backoff (its <c>Retry-After</c> when given) a few times, as providers retry
/// their webhooks; a 4xx (a refused signature, a malformed body) is logged and not tried again.
/// </summary>
public sealed class ReceiptPoster(
    IHttpClientFactory clients,
    ReceiptQueue queue,
    ReceiptCounters counters,
    IOptions<SimulatorOptions> options,
    TimeProvider time,
    ILogger<ReceiptPoster> logger)
{
    /// <summary>The HTTP client's name: no resilience handler of its own (the retries are these).</summary>
    public const string ClientName = "receipts";

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Queues the plan's receipts for their time; while receipts are held the early one too (due now),
    /// instead of going before the send's answer.
    /// </summary>
    /// <returns>The early receipt the caller posts now, if any.</returns>
    public Receipt? Schedule(ReceiptPlan plan)
    {
        var early = plan.Early;
        if (early is not null && queue.Held)
        {
            Add(early, time.GetUtcNow());
            early = null;
        }
        foreach (var (receipt, due) in plan.Later)
        {
            Add(receipt, due);
        }
        return early;
    }

    public async Task PostAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        using var activity = SimulatorActivities.StartReceipt(receipt);
        string failure;
        TimeSpan? retryAfter = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, receipt.Url) { Content = new ByteArrayContent(receipt.Body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(receipt.ContentType);
            foreach (var (name, value) in receipt.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            activity?.SetTag("http.response.status_code", status);
            if (response.IsSuccessStatusCode)
            {
                counters.Posted();
                Log.ReceiptPosted(logger, receipt.Provider, receipt.Status, receipt.MessageId, status);
                return;
            }
            if (status is < 500 and not 429)
            {
                counters.Refused();
                activity?.SetStatus(ActivityStatusCode.Error, $"HTTP {status}");
                Log.ReceiptRefused(logger, receipt.Provider, receipt.Status, receipt.MessageId, status, receipt.Url.AbsolutePath);
                return;
            }
            failure = $"HTTP {status}";
            retryAfter = response.Headers.RetryAfter?.Delta;
        }
        catch (Exception exception) when (exception is HttpRequestException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            failure = exception.Message;
        }
        activity?.SetStatus(ActivityStatusCode.Error, failure);
        Retry(receipt, failure, retryAfter);
    }

    private void Retry(Receipt receipt, string failure, TimeSpan? retryAfter)
    {
        if (receipt.Attempt >= options.Value.ReceiptAttempts)
        {
            counters.Abandoned();
            Log.ReceiptAbandoned(logger, receipt.Provider, receipt.Status, receipt.MessageId, receipt.Attempt, failure);
            return;
        }
        var backoff = retryAfter ?? TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << (receipt.Attempt - 1)));
        counters.Retried();
        Log.ReceiptRetrying(logger, receipt.Provider, receipt.Status, receipt.MessageId, receipt.Attempt, failure, backoff);
        Add(receipt with { Attempt = receipt.Attempt + 1 }, time.GetUtcNow() + backoff);
    }

    private void Add(Receipt receipt, DateTimeOffset due)
    {
        if (!queue.TryAdd(receipt, due))
        {
            counters.Dropped();
            Log.ReceiptDropped(logger, queue.Capacity, receipt.Provider, receipt.Status, receipt.MessageId);
        }
    }
}

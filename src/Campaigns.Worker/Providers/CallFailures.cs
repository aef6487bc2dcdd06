using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Campaigns.Worker.Providers;

/// <summary>
/// Outcomes of calls that got no answer. Only a failure before the request was written is safe to fail
/// over; anything later may have reached the provider (none of them honours an idempotency key).
/// </summary>
internal static class CallFailures
{
    public static ProviderOutcome? Classify(Exception exception) => exception switch
    {
        BrokenCircuitException broken => ProviderOutcome.NotAttempted(broken.RetryAfter, "circuit_open", "The provider's circuit is open"),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } =>
            ProviderOutcome.Transient("connection_failed", "The provider could not be reached", circuitFailure: true),
        TimeoutRejectedException => ProviderOutcome.Unknown("timeout", "The provider did not answer in time"),
        HttpRequestException or IOException => ProviderOutcome.Unknown("connection_lost", "The connection broke before the provider answered"),
        // HttpClient's own timeout (the pipeline's is shorter; this is the backstop).
        TaskCanceledException { InnerException: TimeoutException } => ProviderOutcome.Unknown("timeout", "The provider did not answer in time"),
        _ => null,
    };
}

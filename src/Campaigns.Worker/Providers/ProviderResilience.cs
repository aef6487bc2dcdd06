using Campaigns.Worker.Options;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Campaigns.Worker.Providers;

/// <summary>
/// The one pipeline a provider's HTTP client gets: a circuit breaker around a call timeout, and no
/// retry. A send is not idempotent at any of these providers, so a retry is a new attempt that the
/// worker must record (and may send elsewhere); it is never hidden inside the client.
/// </summary>
public static class ProviderResilience
{
    // Short, so a provider that is down is told apart (not written: safe to fail over) quickly.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public static IHttpClientBuilder AddProviderResilience(this IHttpClientBuilder http, string provider)
    {
        // ServiceDefaults gives every client the standard handler, whose retries would resend messages.
        // Experimental in 10.x; ProviderResilienceTests prove a 503 is asked once.
#pragma warning disable EXTEXP0001
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        });
        // The pipeline's timeout governs.
        http.ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        http.AddResilienceHandler(provider, (pipeline, context) =>
        {
            var worker = context.ServiceProvider.GetRequiredService<IOptions<WorkerOptions>>().Value;
            var circuit = context.ServiceProvider.GetRequiredService<IOptions<ProviderCircuitOptions>>().Value;
            var states = context.ServiceProvider.GetRequiredService<ProviderCircuitStates>();
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = circuit.FailureRatio,
                MinimumThroughput = circuit.MinimumThroughput,
                SamplingDuration = circuit.SamplingDuration,
                BreakDuration = circuit.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsProviderFailure(args.Outcome)),
                OnOpened = _ =>
                {
                    states.Opened(provider);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    states.Closed(provider);
                    return ValueTask.CompletedTask;
                },
            });
            // A little under the worker's own bound on the call, so the provider's timeout is what answers
            // (an unknown outcome, retried at the same provider), not the worker's.
            pipeline.AddTimeout(TimeSpan.FromTicks(worker.ProviderCallTimeout.Ticks * 9 / 10));
        });
        return http;
    }

    /// <summary>
    /// What says the provider is unwell: no answer, 5xx, or our credentials refused. Never a 429
    /// (that is pacing) nor a per-message error (that is the message).
    /// </summary>
    public static bool IsProviderFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || (int)response.StatusCode is 401 or 403,
        _ => false,
    };
}

using System.Diagnostics;
using Campaigns.Worker.Providers;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;

namespace Campaigns.Worker.Routing;

/// <summary>
/// One channel's provider chain as a sender (api.md, "Providers and routing"). Each attempt makes at
/// most one provider call: to the first provider of the chain that can take it, starting after the
/// provider of the previous attempt (which failed it, transiently), skipping providers whose circuit is
/// open or that asked us to pause. An unknown outcome never fails over: the next attempt goes to the
/// same provider, with the same idempotency key. A rate limit, or no provider available, hands the
/// message back without charging an attempt.
/// </summary>
public sealed class ProviderRouter(
    string channel, IReadOnlyList<IProviderGateway> chain, ProviderPauses pauses, WorkerMetrics metrics) : IMessageSender
{
    // When nobody can take a message and nobody said for how long: about a circuit's half-open probe.
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(1);

    public string Channel => channel;

    public async ValueTask<SendResult> SendAsync(SendRequest request, CancellationToken cancellationToken)
    {
        TimeSpan? soonest = null;
        foreach (var gateway in Candidates(request))
        {
            if (pauses.RemainingFor(gateway.Name) is { } paused)
            {
                soonest = Sooner(soonest, paused);
                continue;
            }
            var outcome = await CallAsync(gateway, request, cancellationToken);
            switch (outcome.Kind)
            {
                case ProviderOutcomeKind.NotAttempted:
                    soonest = Sooner(soonest, outcome.RetryAfter ?? DefaultWait);
                    continue;
                case ProviderOutcomeKind.RateLimited:
                    var wait = outcome.RetryAfter ?? DefaultWait;
                    if (outcome.SlowsProvider)
                    {
                        pauses.Pause(gateway.Name, wait);
                    }
                    return SendResult.NotSentFor(wait, outcome.Error ?? "rate limited") with { Provider = gateway.Name, ErrorCode = outcome.ErrorCode };
                default:
                    return Result(gateway.Name, outcome);
            }
        }
        return SendResult.NotSentFor(soonest ?? DefaultWait, "no provider available: every circuit is open or paused");
    }

    /// <summary>The providers this attempt may use, in order.</summary>
    private IEnumerable<IProviderGateway> Candidates(SendRequest request)
    {
        var previous = -1;
        for (var i = 0; i < chain.Count; i++)
        {
            if (chain[i].Name == request.AttemptProvider)
            {
                previous = i;
            }
        }
        if (request.AttemptUnknown && previous >= 0)
        {
            // It may have been delivered there: only there, with the same key, may it be tried again.
            return chain[previous].CanSend(channel, request) ? [chain[previous]] : [];
        }
        return Enumerable.Range(1, chain.Count)
            .Select(step => chain[(previous + step) % chain.Count])
            .Where(gateway => gateway.CanSend(channel, request));
    }

    private async Task<ProviderOutcome> CallAsync(IProviderGateway gateway, SendRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // A span for the sampled calls (a few per batch); the others make none, not even their HTTP client span.
        using var activity = request.Traced ? WorkerActivities.StartProviderCall(gateway.Name, channel, request) : null;
        using var untraced = activity is null ? OpenTelemetry.SuppressInstrumentationScope.Begin() : null;
        var outcome = await gateway.SendAsync(channel, request, cancellationToken);
        activity?.SetTag("campaigns.provider.outcome", outcome.OutcomeTag);
        if (outcome.ErrorCode is { } code)
        {
            activity?.SetTag("campaigns.provider.error_code", code);
        }
        if (outcome.Kind is not ProviderOutcomeKind.Accepted)
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
        }
        metrics.ProviderCalled(gateway.Name, outcome.OutcomeTag, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return outcome;
    }

    private static SendResult Result(string provider, ProviderOutcome outcome) => outcome.Kind switch
    {
        ProviderOutcomeKind.Accepted => SendResult.Sent with { Provider = provider, ProviderMessageId = outcome.ProviderMessageId },
        ProviderOutcomeKind.PermanentFailure => SendResult.Permanent(Describe(provider, outcome))
            with { Provider = provider, ErrorCode = outcome.ErrorCode, SuppressPhone = outcome.SuppressPhone },
        ProviderOutcomeKind.Unknown => SendResult.Transient(Describe(provider, outcome))
            with { Provider = provider, ErrorCode = outcome.ErrorCode, Unknown = true },
        _ => SendResult.Transient(Describe(provider, outcome)) with { Provider = provider, ErrorCode = outcome.ErrorCode },
    };

    private static string Describe(string provider, ProviderOutcome outcome) =>
        $"{provider}: {outcome.Error ?? outcome.OutcomeTag}{(outcome.ErrorCode is { } code ? $" ({code})" : "")}";

    private static TimeSpan Sooner(TimeSpan? current, TimeSpan candidate) =>
        current is { } known && known < candidate ? known : candidate;
}

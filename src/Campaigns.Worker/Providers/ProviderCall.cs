namespace Campaigns.Worker.Providers;

/// <summary>One HTTP call to a provider, exceptions turned into outcomes (the caller's cancellation excepted).</summary>
internal static class ProviderCall
{
    public static async Task<T> SendAsync<T>(
        HttpClient http,
        HttpRequestMessage request,
        Func<HttpResponseMessage, CancellationToken, Task<T>> interpret,
        Func<ProviderOutcome, T> failed,
        string provider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return await interpret(response, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (CallFailures.Classify(exception) is { } outcome)
        {
            Log.ProviderCallFailed(logger, exception, provider, outcome.OutcomeTag);
            return failed(outcome);
        }
    }

    /// <summary>Logs an answer that was not an acceptance: at warning when the provider itself is at fault.</summary>
    public static ProviderOutcome Logged(ProviderOutcome outcome, string provider, ILogger logger)
    {
        if (outcome.CircuitFailure)
        {
            Log.ProviderUnwell(logger, provider, outcome.HttpStatus, outcome.ErrorCode, outcome.Error);
        }
        else if (outcome.Kind != ProviderOutcomeKind.Accepted)
        {
            Log.ProviderRefused(logger, provider, outcome.HttpStatus, outcome.ErrorCode, outcome.OutcomeTag);
        }
        return outcome;
    }
}

namespace Campaigns.Core.Domain;

/// <summary>Exponential backoff with ±20% jitter between attempts of one message.</summary>
public static class Backoff
{
    public const double Jitter = 0.2;

    /// <param name="failedAttempts">Attempts failed so far (1 after the first failure).</param>
    /// <param name="jitterSample">A uniform sample in [0, 1): 0 gives −20%, 0.5 the nominal delay.</param>
    public static TimeSpan Compute(int failedAttempts, TimeSpan baseDelay, TimeSpan maxDelay, double jitterSample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        // 2^(n-1), capped well before it could overflow.
        var nominal = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var jittered = nominal * (1 - Jitter + 2 * Jitter * Math.Clamp(jitterSample, 0, 1));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, maxDelay.TotalMilliseconds));
    }

    public static TimeSpan Compute(int failedAttempts, TimeSpan baseDelay, TimeSpan maxDelay) =>
        Compute(failedAttempts, baseDelay, maxDelay, Random.Shared.NextDouble());
}

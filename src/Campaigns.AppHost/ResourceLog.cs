using Aspire.Hosting.ApplicationModel;

namespace Campaigns.AppHost;

/// <summary>A resource's console log as the dashboard shows it, read once it has gone quiet.</summary>
public static class ResourceLog
{
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Every line so far, once none has come for a second: the last lines of a process that has just
    /// ended (its reason) can reach the log service after the exit itself.
    /// </summary>
    public static async Task<List<string>> ReadAsync(ResourceLoggerService logs, string resourceId, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(DrainLimit);
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
        quiet.CancelAfter(QuietPeriod);
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(quiet.Token))
            {
                lines.AddRange(batch.Select(line => line.Content));
                quiet.CancelAfter(QuietPeriod);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        return lines;
    }
}

using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Campaigns.AppHost;

/// <summary>
/// Waiting for a service of a graph (the API, a worker) to be healthy, as the tests and the benchmark do
/// after starting one. Should it or something it waits for end instead, the wait throws with the end of
/// their logs: Aspire's own exception says only that the service "failed to start", and the reason is in
/// a log, often another resource's (a dependency that could not bind its port).
/// </summary>
public static class ServiceHealth
{
    private const int ReasonLines = 25;
    private static readonly TimeSpan StateWait = TimeSpan.FromSeconds(5);

    public static async Task WaitAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        try
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellationToken);
        }
        catch (DistributedApplicationException failed)
        {
            var logs = app.Services.GetRequiredService<ResourceLoggerService>();
            var reasons = new List<string> { failed.Message };
            foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources)
            {
                if (await LatestAsync(app, resource.Name, cancellationToken) is { } latest
                    && (resource.Name == resourceName || (KnownResourceStates.TerminalStates.Contains(latest.Snapshot.State?.Text)
                                                          && latest.Snapshot.ExitCode is not 0)))
                {
                    var lines = await ResourceLog.ReadAsync(logs, latest.ResourceId, cancellationToken);
                    reasons.Add($"{resource.Name}: {latest.Snapshot.State?.Text}, exit code "
                        + $"{latest.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; "
                        + "the end of its log:" + Environment.NewLine
                        + (lines.Count > 0 ? string.Join(Environment.NewLine, lines.TakeLast(ReasonLines)) : "(empty)"));
                }
            }
            throw new InvalidOperationException(string.Join(Environment.NewLine, reasons), failed);
        }
    }

    /// <summary>The resource's latest state, at once (every resource has one from the moment the graph starts).</summary>
    private static async Task<ResourceEvent?> LatestAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        using var latest = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        latest.CancelAfter(StateWait);
        try
        {
            return await app.ResourceNotifications.WaitForResourceAsync(resourceName, _ => true, latest.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}

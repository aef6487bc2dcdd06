using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Campaigns.AppHost.Infrastructure;
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
                if (await ServerFailures.LatestAsync(app, resource.Name, cancellationToken) is not { } latest)
                {
                    continue;
                }
                if (resource.Name == resourceName)
                {
                    var lines = await ResourceLog.ReadAsync(logs, latest.ResourceId, cancellationToken);
                    reasons.Add($"The end of {resourceName}'s log:{Environment.NewLine}"
                        + (lines.Count > 0 ? string.Join(Environment.NewLine, lines.TakeLast(ReasonLines)) : "(empty)"));
                }
                else if (ServerFailures.HasEnded(latest.Snapshot) && latest.Snapshot.ExitCode is not 0)
                {
                    reasons.Add(await ServerFailures.DescribeAsync(logs, latest, cancellationToken));
                }
            }
            throw new InvalidOperationException(string.Join(Environment.NewLine, reasons), failed);
        }
    }
}

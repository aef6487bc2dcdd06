using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Campaigns.AppHost.Infrastructure;

/// <summary>
/// Watches one server from before the graph starts (a hosted service would start only once every
/// resource has stopped waiting): an end nobody asked for (not the AppHost stopping, nor a stop from
/// the dashboard, which ends with 0) goes to the AppHost's console and to the server's log in the
/// dashboard, with its reason.
/// </summary>
internal sealed class ServerFailureMonitor(IResource server, IServiceProvider services)
{
    private readonly ResourceNotificationService _notifications = services.GetRequiredService<ResourceNotificationService>();
    private readonly ResourceLoggerService _logs = services.GetRequiredService<ResourceLoggerService>();
    private readonly ILogger _logger = services.GetRequiredService<ILogger<ServerFailureMonitor>>();

    public async Task RunAsync()
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        // Once per run of the server: one started again from the dashboard can fail again.
        var reported = new HashSet<DateTime?>();
        try
        {
            await foreach (var update in _notifications.WatchAsync(stopping.Token))
            {
                if (!ReferenceEquals(update.Resource, server))
                {
                    continue;
                }
                if (!Failed(update.Snapshot) || !reported.Add(update.Snapshot.StartTimeStamp))
                {
                    continue;
                }
                var description = await ServerFailures.DescribeAsync(_logs, update, stopping.Token);
                Log.ServerStopped(_logger, description);
                Log.ServerStopped(_logs.GetLogger(update.ResourceId), description);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping, and its servers with it.
        }
    }

    // An exit code arrives after the state at times: the update that brings it decides.
    private static bool Failed(CustomResourceSnapshot snapshot) =>
        ServerFailures.HasEnded(snapshot)
        && (snapshot.State?.Text == KnownResourceStates.FailedToStart || snapshot.ExitCode is not (null or 0));
}

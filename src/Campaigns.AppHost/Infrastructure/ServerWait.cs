using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Campaigns.AppHost.Infrastructure;

/// <summary>
/// What waits for a server (<c>WaitFor</c> on it or on one of its databases) gives up when the server
/// ends before it is healthy. Aspire 13.6 would not: once a dependency has been Running, it waits for
/// its health however the dependency ends, so a Postgres that exits on start left everything waiting.
/// This runs before Aspire's own wait (handlers run in the order they were added, and the AppHost adds
/// this one before Aspire's orchestrator adds its own), which then finds the server ready.
/// </summary>
internal static class ServerWait
{
    public static void Guard(IDistributedApplicationBuilder builder, IResource server)
    {
        // Once the server has been healthy, later starts (a replica added, a service restarted) are
        // Aspire's own business: publishing Waiting then would overwrite the state of running replicas.
        var wasHealthy = false;
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(async (@event, cancellationToken) =>
        {
            if (Volatile.Read(ref wasHealthy) || !WaitsFor(@event.Resource, server))
            {
                return;
            }
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            await notifications.PublishUpdateAsync(@event.Resource, snapshot => snapshot with { State = KnownResourceStates.Waiting });
            var outcome = await notifications.WaitForResourceAsync(server.Name,
                e => e.Snapshot.HealthStatus == HealthStatus.Healthy || ServerFailures.HasEnded(e.Snapshot), cancellationToken);
            if (ServerFailures.HasEnded(outcome.Snapshot))
            {
                // Thrown here, it makes the resource fail to start, with this message in its log.
                throw new DistributedApplicationException(await ServerFailures.DescribeAsync(
                    @event.Services.GetRequiredService<ResourceLoggerService>(), outcome, cancellationToken));
            }
            Volatile.Write(ref wasHealthy, true);
        });
    }

    private static bool WaitsFor(IResource resource, IResource server) =>
        resource.TryGetAnnotationsOfType<WaitAnnotation>(out var waits)
        && waits.Any(wait => wait.WaitType == WaitType.WaitUntilHealthy
            && (ReferenceEquals(wait.Resource, server)
                || (wait.Resource is IResourceWithParent child && ReferenceEquals(child.Parent, server))));
}

using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Campaigns.AppHost.Infrastructure;

/// <summary>
/// Postgres and Redis start first and everything waits on them, so a server that ends (it could not
/// start: initdb refused, its port was taken) fails what waits for it at once, and its reason, the end
/// of its log, goes to the AppHost's console, the dashboard, and code that starts a graph
/// (<see cref="ThrowIfAnyEndedAsync"/>).
/// </summary>
public static class ServerFailures
{
    private const int ReasonLines = 12;
    private static readonly TimeSpan StateWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Marks <paramref name="server"/> as one the graph cannot run without: what waits for it gives up
    /// when it ends (<see cref="ServerWait"/>), and an end nobody asked for is reported with its reason.
    /// </summary>
    public static IResourceBuilder<T> WithFailFast<T>(this IResourceBuilder<T> server) where T : IResource
    {
        ServerWait.Guard(server.ApplicationBuilder, server.Resource);
        server.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
        {
            _ = new ServerFailureMonitor(server.Resource, @event.Services).RunAsync();
            return Task.CompletedTask;
        });
        return server.WithAnnotation(new ServerAnnotation());
    }

    /// <summary>
    /// Throws with the reason if a server of <paramref name="app"/> has ended: what to check when starting
    /// a graph fails, as its dependants give up once a server is gone.
    /// </summary>
    public static async Task ThrowIfAnyEndedAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        foreach (var server in app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Where(IsServer))
        {
            if (await LatestAsync(app, server.Name, cancellationToken) is { } current && HasEnded(current.Snapshot))
            {
                throw new InvalidOperationException(
                    await DescribeAsync(app.Services.GetRequiredService<ResourceLoggerService>(), current, cancellationToken));
            }
        }
    }

    /// <summary>A resource's latest state, at once: every resource has one from the moment the graph starts.</summary>
    internal static async Task<ResourceEvent?> LatestAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken)
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

    internal static bool IsServer(IResource resource) => resource.HasAnnotationOfType<ServerAnnotation>();

    internal static bool HasEnded(CustomResourceSnapshot snapshot) =>
        KnownResourceStates.TerminalStates.Contains(snapshot.State?.Text);

    /// <summary>The server's end and the last lines of its log, where a server says why it stopped.</summary>
    internal static async Task<string> DescribeAsync(ResourceLoggerService logs, ResourceEvent ended, CancellationToken cancellationToken)
    {
        var lines = await ResourceLog.ReadAsync(logs, ended.ResourceId, cancellationToken);
        var exitCode = ended.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
        return $"{ended.Resource.Name} stopped ({ended.Snapshot.State?.Text}, exit code {exitCode}), so what waits for it "
            + $"cannot start. The end of its log:{Environment.NewLine}"
            + (lines.Count > 0 ? string.Join(Environment.NewLine, lines.TakeLast(ReasonLines)) : "(empty)");
    }

    private sealed class ServerAnnotation : IResourceAnnotation;
}

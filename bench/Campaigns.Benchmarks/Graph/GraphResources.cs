using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Campaigns.Benchmarks.Processes;

namespace Campaigns.Benchmarks.Graph;

/// <summary>The graph's resources by replica id: their state, their processes, and start/stop commands.</summary>
public sealed class GraphResources(DistributedApplication app)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The ids of a resource's replicas, in a stable order.</summary>
    public async Task<IReadOnlyList<string>> ReplicaIdsAsync(string name, int expected, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var resourceEvent in app.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (resourceEvent.Resource.Name == name)
            {
                ids.Add(resourceEvent.ResourceId);
                if (ids.Count >= expected)
                {
                    break;
                }
            }
        }
        return ids.ToList();
    }

    public bool IsRunning(string resourceId) =>
        app.ResourceNotifications.TryGetCurrentState(resourceId, out var state)
        && state.Snapshot.State?.Text == KnownResourceStates.Running;

    /// <summary>The process of a resource: for a project, the app behind its <c>dotnet run</c> launcher.</summary>
    public int? ProcessId(string resourceId)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(resourceId, out var state) || LauncherPid(state) is not { } launcher)
        {
            return null;
        }
        return state.Resource is ProjectResource ? ProcFs.AppBehindLauncher(launcher) : launcher;
    }

    /// <summary>Processes of every running replica of a resource.</summary>
    public async Task<IReadOnlyList<int>> ProcessIdsAsync(string name, int replicas, CancellationToken cancellationToken)
    {
        var ids = await ReplicaIdsAsync(name, replicas, cancellationToken);
        return ids.Where(IsRunning).Select(ProcessId).OfType<int>().ToList();
    }

    public async Task StartAsync(string resourceId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var previous = app.ResourceNotifications.TryGetCurrentState(resourceId, out var before) ? LauncherPid(before) : null;
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, timeout.Token);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Starting {resourceId} failed: {result.Message}");
        }
        // Running with a new launcher pid: this start's process, not the previous one's state.
        await WaitAsync(resourceId, e =>
            e.Snapshot.State?.Text == KnownResourceStates.Running
            && LauncherPid(e) is { } pid && pid != previous, timeout.Token);
        if (app.ResourceNotifications.TryGetCurrentState(resourceId, out var started) && started.Resource is ProjectResource)
        {
            // The resource's health check goes through the orchestrator's proxy, which any healthy
            // replica answers: ask this replica's own process instead.
            await ReplicaHealth.WaitUntilHealthyAsync(() => ProcessId(resourceId), LauncherPid(started), timeout.Token);
        }
    }

    public async Task StopAsync(string resourceId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StopCommand, timeout.Token);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Stopping {resourceId} failed: {result.Message}");
        }
        await WaitAsync(resourceId, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
    }

    /// <summary>Waits for one replica (by id, not by name) to reach a state.</summary>
    private async Task WaitAsync(string resourceId, Func<ResourceEvent, bool> reached, CancellationToken cancellationToken)
    {
        if (app.ResourceNotifications.TryGetCurrentState(resourceId, out var current) && reached(current))
        {
            return;
        }
        await foreach (var resourceEvent in app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (resourceEvent.ResourceId == resourceId && reached(resourceEvent))
            {
                return;
            }
        }
    }

    private static int? LauncherPid(ResourceEvent resourceEvent) =>
        resourceEvent.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) => pid,
            _ => null,
        };
}
